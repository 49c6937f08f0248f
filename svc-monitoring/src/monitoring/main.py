"""The monitoring service's ASGI app (``uvicorn monitoring.main:create_app --factory``)."""

from fastapi import FastAPI

from kota_shared.app import ServiceDefinition, ServiceRuntime, create_service_app
from kota_shared.clock import Clock, system_clock
from kota_shared.events.consumer import EventConsumer
from kota_shared.events.published_schemas import PublishedSchemas
from kota_shared.transaction import Transaction
from monitoring.config import MonitoringSettings
from monitoring.counters.handlers import count_event
from monitoring.counters.router import router as counters_router
from monitoring.db import EVENT_TABLES


def create_app(
    settings: MonitoringSettings | None = None, *, clock: Clock = system_clock
) -> FastAPI:
    """The app; tests may pass their own ``clock`` to move time instead of waiting."""
    settings = settings or MonitoringSettings()
    # Loaded here, not on the first event: a missing catalogue stops the start.
    schemas = PublishedSchemas.from_directory(settings.event_schemas_dir)

    def consumers(runtime: ServiceRuntime) -> list[EventConsumer[Transaction]]:
        return [
            EventConsumer(
                name="monitoring.event-counts",
                topics=settings.watched_topics,
                bootstrap_servers=settings.kafka_bootstrap_servers,
                security=settings.kafka_security,
                sessionmaker=runtime.sessionmaker,
                tables=EVENT_TABLES,
                context=runtime.transaction,
                fallback=count_event,
                schemas=schemas,
            )
        ]

    return create_service_app(
        ServiceDefinition(
            settings=settings,
            title="Kota LIVE monitoring",
            description="Service volumes, service levels and system health, from events.",
            migrations="monitoring:migrations",
            routers=[counters_router],
            event_tables=EVENT_TABLES,
            consumers=consumers,
            clock=clock,
        )
    )
