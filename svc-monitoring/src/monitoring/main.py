"""The monitoring service's ASGI app (``uvicorn monitoring.main:create_app --factory``)."""

from fastapi import FastAPI

from kota_shared.app import ServiceDefinition, ServiceRuntime, create_service_app
from kota_shared.events.consumer import EventConsumer
from kota_shared.events.published_schemas import PublishedSchemas
from monitoring.config import MonitoringSettings
from monitoring.counters.handlers import count_event
from monitoring.counters.router import router as counters_router
from monitoring.models import EVENT_TABLES


def create_app(settings: MonitoringSettings | None = None) -> FastAPI:
    settings = settings or MonitoringSettings()
    # Loaded here, not on the first event: a missing catalogue stops the start.
    schemas = PublishedSchemas.from_directory(settings.event_schemas_dir)

    def consumers(runtime: ServiceRuntime) -> list[EventConsumer]:
        return [
            EventConsumer(
                name="monitoring.event-counts",
                topics=settings.watched_topics,
                bootstrap_servers=settings.kafka_bootstrap_servers,
                sessionmaker=runtime.sessionmaker,
                tables=EVENT_TABLES,
                handlers={},
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
        )
    )
