"""Build a service's FastAPI app: the same lifespan, probes, errors and metrics everywhere.

A service declares what is its own (settings, routers, migrations, the events it consumes)
in a `ServiceDefinition`; engines, clients, the outbox relay and consumers are built in the
lifespan, never at import, and torn down in reverse order.
"""

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI
from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from kota_shared import db, idempotency, tracing
from kota_shared.auth import JwksKeys, TokenVerifier
from kota_shared.clock import Clock, system_clock
from kota_shared.events.consumer import EventConsumer
from kota_shared.events.outbox import Outbox, OutboxRelay
from kota_shared.events.tables import EventTables
from kota_shared.health import health_router
from kota_shared.i18n.headers import LanguageHeadersMiddleware
from kota_shared.kafka_probe import KafkaProbe
from kota_shared.logging import setup_logging
from kota_shared.migrations import upgrade_to_head
from kota_shared.observability import ObservabilityMiddleware, metrics_endpoint
from kota_shared.openapi import document_problems, operation_id
from kota_shared.periodic import every
from kota_shared.problems import install_problem_handlers
from kota_shared.security_headers import SecurityHeadersMiddleware
from kota_shared.settings import ServiceSettings
from kota_shared.supervision import RestartPolicy, Supervisor
from kota_shared.transaction import Transaction


@dataclass
class ServiceRuntime:
    """What the lifespan built; endpoints reach it through ``request.app.state.runtime``."""

    settings: ServiceSettings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    http: httpx.AsyncClient
    outbox: Outbox | None
    supervisor: Supervisor
    """Runs every background task; an extension starts its sweeps here."""
    clock: Clock = system_clock
    relay: OutboxRelay | None = None
    consumers: list[EventConsumer[Any]] = field(default_factory=list)

    def transaction(self, session: AsyncSession) -> Transaction:
        """A consumer's transaction context for ``session``, at this service's "now"."""
        if self.outbox is None:
            raise RuntimeError("this service declared no event tables, so it has no outbox")
        return Transaction.begin(
            session, outbox=self.outbox, clock=self.clock, settings=self.settings
        )


ConsumerFactory = Callable[[ServiceRuntime], list[EventConsumer[Any]]]
Extension = Callable[[FastAPI, ServiceRuntime], AbstractAsyncContextManager[None]]
"""Service-specific resources, set up after the runtime and torn down before it."""


def all_of(*extensions: Extension) -> Extension:
    """Several extensions as one, set up in order and torn down in reverse: a service whose
    features each start their own background work keeps each in its own module."""

    @asynccontextmanager
    async def together(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for extension in extensions:
                await stack.enter_async_context(extension(app, runtime))
            yield

    return together


@dataclass
class ServiceDefinition:
    settings: ServiceSettings
    title: str
    description: str
    migrations: str
    """Package notation of the service's Alembic scripts, e.g. ``permits:migrations``."""
    routers: Sequence[APIRouter]
    event_tables: EventTables | None = None
    consumers: ConsumerFactory | None = None
    extension: Extension | None = None
    idempotency_keys: Table | None = None
    """The service's ``Idempotency-Key`` table (`kota_shared.idempotency.idempotency_table`),
    if it has one: expired keys are purged every hour, by the app's clock."""
    clock: Clock = system_clock
    """The service's "now" (``app.state.clock``): tests move it instead of waiting."""
    version: str = "0.1.0"
    metrics_route: bool = True
    """Serve Prometheus ``/metrics`` on the app's own port. Services are reached only on the
    internal network, so they do; the gateway's port is public, so it serves its metrics on
    an internal listener of its own instead (``GATEWAY_METRICS_PORT``)."""


IDEMPOTENCY_PURGE_SECONDS = 3600
OUTBOX_BACKLOG_SECONDS = 15


def event_source(service_name: str) -> str:
    """The CloudEvents ``source`` of everything a service publishes."""
    return f"/kota-live/{service_name}"


async def _purge_expired_keys(
    clock: Clock, sessionmaker: async_sessionmaker[AsyncSession], table: Table
) -> int:
    async with sessionmaker() as session, session.begin():
        return await idempotency.purge_expired(session, table=table, now=clock())


def _lifespan(
    definition: ServiceDefinition,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    settings = definition.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_logging(service=settings.service_name, level=settings.log_level)
        tracing.setup_tracing(settings.service_name)
        if settings.migrate_on_start:
            await asyncio.to_thread(upgrade_to_head, definition.migrations, settings.database_url)
        # Everything built here is torn down in reverse, each step even if an earlier one fails.
        async with AsyncExitStack() as stack:
            engine = db.create_engine(settings.database_url, pool_size=settings.database_pool_size)
            stack.push_async_callback(engine.dispose)
            http = httpx.AsyncClient()
            stack.push_async_callback(http.aclose)
            kafka = KafkaProbe(settings.kafka_bootstrap_servers, security=settings.kafka_security)
            stack.push_async_callback(kafka.close)
            sessionmaker = db.create_sessionmaker(engine)
            tables = definition.event_tables
            supervisor = Supervisor(
                RestartPolicy(unhealthy_after_seconds=settings.task_unhealthy_after_seconds)
            )
            stack.push_async_callback(supervisor.stop)  # if a later step of the start fails
            app.state.supervisor = supervisor
            runtime = ServiceRuntime(
                settings=settings,
                engine=engine,
                sessionmaker=sessionmaker,
                http=http,
                outbox=Outbox(tables=tables, source=event_source(settings.service_name))
                if tables
                else None,
                supervisor=supervisor,
                clock=definition.clock,
            )
            app.state.runtime = runtime
            app.state.clock = definition.clock
            app.state.sessionmaker = sessionmaker
            app.state.token_verifier = TokenVerifier(
                keys=JwksKeys(settings.jwks_url, client=http),
                issuer=settings.token_issuer,
                audience=settings.token_audience,
            )

            async def database_check() -> None:
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))

            app.state.readiness_checks = {"database": database_check, "kafka": kafka.check}
            if tables is not None:
                runtime.relay = OutboxRelay(
                    tables=tables,
                    sessionmaker=sessionmaker,
                    bootstrap_servers=settings.kafka_bootstrap_servers,
                    security=settings.kafka_security,
                    poll_seconds=settings.outbox_poll_seconds,
                )
                supervisor.start("outbox-relay", runtime.relay.run)
                supervisor.start(
                    "outbox-backlog", every(OUTBOX_BACKLOG_SECONDS, runtime.relay.measure_backlog)
                )
            runtime.consumers = definition.consumers(runtime) if definition.consumers else []
            for consumer in runtime.consumers:
                supervisor.start(f"consumer:{consumer.name}", consumer.run)
            if definition.extension is not None:
                await stack.enter_async_context(definition.extension(app, runtime))
            if definition.idempotency_keys is not None:
                purge = partial(
                    _purge_expired_keys, definition.clock, sessionmaker, definition.idempotency_keys
                )
                supervisor.start("idempotency-purge", every(IDEMPOTENCY_PURGE_SECONDS, purge))
            # Stopped first on the way out: no task outlives what the extension tears down.
            stack.push_async_callback(supervisor.stop)
            yield

    return lifespan


def _document_problems(app: FastAPI) -> None:
    """Build the OpenAPI document once, with its error answers as they really are."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_service_app(definition: ServiceDefinition) -> FastAPI:
    app = FastAPI(
        title=definition.title,
        description=definition.description,
        version=definition.version,
        lifespan=_lifespan(definition),
        # An API answers the URL it was asked; a redirect would hide a client's typo.
        redirect_slashes=False,
        # ObservabilityMiddleware already traces and measures every request; FastAPI's own
        # telemetry would add a second span and second metrics per request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        generate_unique_id_function=operation_id,
    )
    _document_problems(app)
    install_problem_handlers(app)
    app.add_middleware(ObservabilityMiddleware, service=definition.settings.service_name)
    app.add_middleware(LanguageHeadersMiddleware)
    # Outermost (added last): every answer gets them, the edge's 429s and 413s too.
    app.add_middleware(SecurityHeadersMiddleware)
    app.include_router(health_router())
    if definition.metrics_route:
        app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    for router in definition.routers:
        app.include_router(router)
    return app
