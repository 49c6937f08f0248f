"""The edge's resources for the app's lifetime: the upstreams (pooled clients and a circuit
breaker each) and the rate-limit storage, with their readiness checks.

Built in the lifespan, not at import: aiohttp and Redis pools belong to a running loop.
The middleware finds them on ``app.state`` (``upstreams``, ``rate_limits``).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kota_gateway.edge.ratelimit.limiter import RateLimits
from kota_gateway.edge.settings import EdgeSettings
from kota_gateway.edge.upstreams import Upstreams


@asynccontextmanager
async def routing_resources(app: FastAPI, settings: EdgeSettings) -> AsyncIterator[Upstreams]:
    """Upstreams and rate-limit storage for the app's lifetime; yields the upstreams."""
    upstreams = Upstreams.from_settings(settings)
    rate_limits = RateLimits.from_settings(settings) if settings.rate_limits_enabled else None
    app.state.upstreams = upstreams
    app.state.rate_limits = rate_limits
    app.state.readiness_checks.update(upstreams.readiness_checks())
    if rate_limits is not None:
        app.state.readiness_checks["rate_limits"] = rate_limits.readiness
    try:
        yield upstreams
    finally:
        try:
            if rate_limits is not None:
                await rate_limits.aclose()
        finally:
            await upstreams.aclose()
