"""The edge's resources for the app's lifetime: the upstreams (pooled clients and a circuit
breaker each) and the rate-limit storage, with their readiness checks, and the internal
metrics listener when ``metrics_port`` is set.

Built in the lifespan, not at import: aiohttp and Redis pools belong to a running loop.
The middleware finds them on ``app.state`` (``upstreams``, ``rate_limits``); the metrics
listener's URL is ``app.state.metrics_url`` (None when there is none).
"""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI

from kota_gateway.edge.metrics import metrics_listener
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
    async with AsyncExitStack() as stack:
        stack.push_async_callback(upstreams.aclose)
        if rate_limits is not None:
            stack.push_async_callback(rate_limits.aclose)
        app.state.metrics_url = None
        if settings.metrics_port is not None:
            app.state.metrics_url = await stack.enter_async_context(
                metrics_listener(settings.metrics_host, settings.metrics_port)
            )
        yield upstreams
