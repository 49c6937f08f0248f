"""The gateway's ASGI app (``uvicorn kota_gateway.main:create_app --factory``)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from kota_gateway import discovery, edge, openapi, overview
from kota_gateway.clients.router import router as clients_router
from kota_gateway.config import GatewaySettings
from kota_gateway.identity import bootstrap as identity_bootstrap
from kota_gateway.identity.router import router as identity_router
from kota_gateway.keys import SigningKeys
from kota_gateway.models import EVENT_TABLES
from kota_shared.app import ServiceDefinition, ServiceRuntime, create_service_app
from kota_shared.clock import Clock, system_clock


def own_openapi(app: FastAPI) -> dict[str, Any]:
    """The gateway's own operations, as FastAPI documents them."""
    return get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )


def create_app(settings: GatewaySettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    """The app; tests pass their own ``clock`` to move time instead of waiting."""
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def gateway_resources(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        app.state.clock = clock  # identity's "now" (sign-in lockout, token lifetimes)
        app.state.signing_keys = SigningKeys.load_or_create(settings.signing_key_dir)
        await identity_bootstrap.start_identity(app, runtime, settings)
        async with edge.routing_resources(app, settings) as upstreams:
            app.state.overview_sections = settings.overview_sections
            app.state.overview_timeout_seconds = settings.overview_timeout_seconds
            documents = openapi.UpstreamDocuments(
                upstreams.clients, refresh_seconds=settings.openapi_refresh_seconds
            )
            await documents.refresh()
            app.openapi = lambda: openapi.merge(own_openapi(app), documents.documents)  # type: ignore[method-assign]
            runtime.supervisor.start("openapi-refresh", documents.keep_fresh)
            yield

    app = create_service_app(
        ServiceDefinition(
            settings=settings,
            title="Kota LIVE",
            description="One API for the citizen app, officers and partner agencies.",
            migrations="kota_gateway:migrations",
            # /v1/<service>/... never gets here: the proxy middleware relays it (see edge.py).
            routers=[discovery.router, identity_router, clients_router, overview.router],
            event_tables=EVENT_TABLES,
            extension=gateway_resources,
        )
    )
    edge.install_edge_middleware(app, settings)
    return app
