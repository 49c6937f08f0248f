"""The gateway's ASGI app (``uvicorn kota_gateway.main:create_app --factory``)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from kota_gateway import discovery, openapi, overview, proxy
from kota_gateway.config import GatewaySettings
from kota_gateway.keys import SigningKeys
from kota_gateway.models import EVENT_TABLES
from kota_gateway.upstream_health import upstream_readiness
from kota_shared.app import ServiceDefinition, ServiceRuntime, create_service_app


def own_openapi(app: FastAPI) -> dict[str, Any]:
    """The gateway's own operations, as FastAPI documents them."""
    return get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def gateway_resources(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        app.state.signing_keys = SigningKeys.load_or_create(settings.signing_key_dir)
        upstreams = proxy.Upstreams(
            settings.upstreams,
            connect_timeout=settings.upstream_connect_timeout_seconds,
            read_timeout=settings.upstream_read_timeout_seconds,
            pool_size=settings.upstream_pool_size,
        )
        app.state.upstreams = upstreams
        app.state.overview_sections = settings.overview_sections
        app.state.overview_timeout_seconds = settings.overview_timeout_seconds
        for name, client in upstreams.clients.items():
            app.state.readiness_checks[f"upstream:{name}"] = partial(upstream_readiness, client)
        documents = openapi.UpstreamDocuments(
            upstreams.clients, refresh_seconds=settings.openapi_refresh_seconds
        )
        await documents.refresh()
        app.openapi = lambda: openapi.merge(own_openapi(app), documents.documents)  # type: ignore[method-assign]
        refresher = asyncio.create_task(documents.keep_fresh())
        try:
            yield
        finally:
            refresher.cancel()
            await asyncio.gather(refresher, return_exceptions=True)
            await upstreams.aclose()

    return create_service_app(
        ServiceDefinition(
            settings=settings,
            title="Kota LIVE",
            description="One API for the citizen app, officers and partner agencies.",
            migrations="kota_gateway:migrations",
            routers=[discovery.router, overview.router, proxy.router],  # proxy last: catch-all
            event_tables=EVENT_TABLES,
            extension=gateway_resources,
        )
    )
