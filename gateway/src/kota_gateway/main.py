"""The gateway's ASGI app (``uvicorn kota_gateway.main:create_app --factory``)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI

from kota_gateway import discovery, proxy
from kota_gateway.config import GatewaySettings
from kota_gateway.keys import SigningKeys
from kota_gateway.models import EVENT_TABLES
from kota_gateway.upstream_health import upstream_readiness
from kota_shared.app import ServiceDefinition, ServiceRuntime, create_service_app


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
        for name, client in upstreams.clients.items():
            app.state.readiness_checks[f"upstream:{name}"] = partial(upstream_readiness, client)
        try:
            yield
        finally:
            await upstreams.aclose()

    return create_service_app(
        ServiceDefinition(
            settings=settings,
            title="Kota LIVE",
            description="One API for the citizen app, officers and partner agencies.",
            migrations="kota_gateway:migrations",
            routers=[discovery.router, proxy.router],
            event_tables=EVENT_TABLES,
            extension=gateway_resources,
        )
    )
