"""The monitoring service's ASGI app (``uvicorn monitoring.main:create_app --factory``)."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_shared.app import Extension, ServiceDefinition, ServiceRuntime, create_service_app
from kota_shared.clock import Clock, system_clock
from kota_shared.events.consumer import EventConsumer
from kota_shared.events.outbox import Outbox
from kota_shared.events.published_schemas import PublishedSchemas
from kota_shared.periodic import every
from kota_shared.transaction import Transaction
from monitoring import readmodels
from monitoring.alerts.router import router as alerts_router
from monitoring.alerts.sweep import raise_due_alerts
from monitoring.config import MonitoringSettings
from monitoring.counters.handlers import count_event
from monitoring.counters.router import router as counters_router
from monitoring.dashboard.router import router as dashboard_router
from monitoring.db import EVENT_TABLES
from monitoring.education.router import router as education_router
from monitoring.health.router import router as health_router
from monitoring.pages.router import router as assets_router
from monitoring.payments.router import router as payments_router
from monitoring.permits.router import router as permits_router
from monitoring.public.data_router import router as open_data_router
from monitoring.public.router import router as public_router
from monitoring.reach.router import router as reach_router
from monitoring.system.probes import BrokerProbe
from monitoring.system.router import router as system_router
from monitoring.system.sweep import Watch, watch_the_suite
from monitoring.transaction import MonitoringTransaction


def transactions(
    outbox: Outbox, clock: Clock, settings: MonitoringSettings
) -> Callable[[AsyncSession], MonitoringTransaction]:
    """The transaction of a consumed event or a sweep's batch, at ``clock``'s time."""

    def begin(session: AsyncSession) -> MonitoringTransaction:
        return MonitoringTransaction.extending(
            Transaction.begin(session, outbox=outbox, clock=clock, settings=settings),
            timezone=settings.timezone,
        )

    return begin


def read_models_consumer(
    settings: MonitoringSettings,
    schemas: PublishedSchemas,
    sessionmaker: async_sessionmaker[AsyncSession],
    context: Callable[[AsyncSession], MonitoringTransaction],
    *,
    until_caught_up: bool = False,
) -> EventConsumer[MonitoringTransaction]:
    """The consumer that keeps this generation of the read models: the live one, or a
    rebuild's, which stops once it has caught up with the log."""
    return EventConsumer(
        name=readmodels.consumer_name(settings.read_models_generation),
        topics=settings.watched_topics,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        security=settings.kafka_security,
        sessionmaker=sessionmaker,
        tables=EVENT_TABLES,
        context=context,
        subscriptions=readmodels.subscriptions(),
        fallback=count_event,
        schemas=schemas,
        until_caught_up=until_caught_up,
    )


def _runtime_transactions(
    runtime: ServiceRuntime, settings: MonitoringSettings
) -> Callable[[AsyncSession], MonitoringTransaction]:
    assert runtime.outbox is not None  # monitoring declares its event tables
    return transactions(runtime.outbox, runtime.clock, settings)


def _sweeps(settings: MonitoringSettings) -> Extension:
    """The deadline alerts' sweep and the suite's probes, for as long as the app runs."""

    @asynccontextmanager
    async def sweeps(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        context = _runtime_transactions(runtime, settings)
        runtime.supervisor.start(
            "alert-sweep",
            every(
                settings.alert_sweep_seconds,
                partial(raise_due_alerts, runtime.sessionmaker, context=context),
            ),
        )
        broker = BrokerProbe(settings.kafka_bootstrap_servers, settings.kafka_security)
        watch = Watch(
            sessionmaker=runtime.sessionmaker,
            context=context,
            http=runtime.http,
            broker=broker,
            settings=settings,
        )
        runtime.supervisor.start(
            "system-probe", every(settings.system_probe_seconds, partial(watch_the_suite, watch))
        )
        try:
            yield
        finally:  # after the supervisor stopped the probe
            await broker.close()

    return sweeps


def create_app(
    settings: MonitoringSettings | None = None, *, clock: Clock = system_clock
) -> FastAPI:
    """The app; tests may pass their own ``clock`` to move time instead of waiting."""
    settings = settings or MonitoringSettings()
    # Loaded here, not on the first event: a missing catalogue stops the start.
    schemas = PublishedSchemas.from_directory(settings.event_schemas_dir)

    return create_service_app(
        ServiceDefinition(
            settings=settings,
            title="Kota LIVE monitoring",
            description=(
                "How well the city serves, measured from every service's events: permits "
                "against their deadlines, payments, clinic bookings, school registrations, "
                "the citizens served at kiosks, and alerts."
            ),
            migrations="monitoring:migrations",
            routers=[
                permits_router,
                payments_router,
                health_router,
                education_router,
                reach_router,
                system_router,
                alerts_router,
                counters_router,
                dashboard_router,
                public_router,
                open_data_router,
                assets_router,
            ],
            event_tables=EVENT_TABLES,
            consumers=lambda runtime: [
                read_models_consumer(
                    settings,
                    schemas,
                    runtime.sessionmaker,
                    _runtime_transactions(runtime, settings),
                )
            ],
            extension=_sweeps(settings),
            clock=clock,
        )
    )
