"""The gateway's ASGI app (``uvicorn kota_gateway.main:create_app --factory``).

Three parts, wired here and nowhere else: the identity provider (its own routes), the edge
(middleware around everything, relaying ``/v1/<service>/...``) and composition (the home
screen and the merged OpenAPI, which read the services through the edge's upstreams).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kota_gateway.composition import overview
from kota_gateway.composition.docs import serve_docs
from kota_gateway.composition.openapi import serve_merged_openapi
from kota_gateway.config import GatewaySettings
from kota_gateway.db import EVENT_TABLES
from kota_gateway.edge.middleware import install_edge_middleware
from kota_gateway.edge.resources import routing_resources
from kota_gateway.identity import discovery
from kota_gateway.identity.accounts.router import router as accounts_router
from kota_gateway.identity.bootstrap import start_identity
from kota_gateway.identity.clients.router import router as clients_router
from kota_gateway.identity.contacts.router import router as contacts_router
from kota_gateway.identity.registry.router import router as family_card_router
from kota_shared.app import ServiceDefinition, ServiceRuntime, create_service_app
from kota_shared.clock import Clock, system_clock


def create_app(settings: GatewaySettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    """The app; tests pass their own ``clock`` to move time instead of waiting."""
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def gateway_resources(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        await start_identity(app, runtime, settings, trusted_proxies=settings.trusted_proxies)
        async with routing_resources(app, settings) as upstreams:
            await serve_merged_openapi(
                app,
                runtime,
                upstreams,
                refresh_seconds=settings.openapi_refresh_seconds,
                server_url=settings.public_url,
            )
            yield

    app = create_service_app(
        ServiceDefinition(
            settings=settings,
            title="Kota LIVE",
            description="One API for the citizen app, officers and partner agencies.",
            migrations="kota_gateway:migrations",
            # /v1/<service>/... never gets here: the proxy middleware relays it (see edge/).
            routers=[
                discovery.router,
                accounts_router,
                family_card_router,
                clients_router,
                contacts_router,
                overview.router,
            ],
            event_tables=EVENT_TABLES,
            extension=gateway_resources,
            metrics_route=False,  # on an internal listener instead (edge/metrics.py)
            clock=clock,
        )
    )
    serve_docs(app)  # /docs, /redoc, /problems, /asyncapi.json, /schemas/events
    install_edge_middleware(app, settings)
    return app
