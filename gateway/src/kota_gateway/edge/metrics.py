"""The gateway's Prometheus metrics, on an internal listener of their own.

The gateway's port is the public one, and its metrics name routes, upstreams, failure
counts and rates: nothing for the internet. So the gateway's app has no ``/metrics``
(`ServiceDefinition.metrics_route` is off) and this second listener serves it on
``GATEWAY_METRICS_HOST``:``GATEWAY_METRICS_PORT``, which an operator keeps on the internal
network (a port that is not published, or a loopback address) where Prometheus scrapes it.

A second listener rather than an address filter on the public port: what is never served
there cannot be exposed by a proxy that rewrites addresses, and a scrape does not pass the
edge's rate limits and body limit. It is aiohttp's server (the gateway already uses aiohttp
for its upstreams), run in the gateway's event loop for the app's lifetime, so it starts and
stops with the app and never touches the process's signals.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest


async def _metrics(_: web.Request) -> web.Response:
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


async def _no_server_header(_: web.Request, response: web.StreamResponse) -> None:
    response.headers.popall("Server", None)


@asynccontextmanager
async def metrics_listener(host: str, port: int) -> AsyncIterator[str]:
    """Serve ``GET /metrics`` on ``host:port`` (0: any free port); yields its URL."""
    app = web.Application()
    app.router.add_get("/metrics", _metrics)
    app.on_response_prepare.append(_no_server_header)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    try:
        # reuse_port: each of uvicorn's worker processes binds the same port, and a scrape
        # reaches one of them, as a request to the public port does (per-process counters).
        site = web.TCPSite(runner, host, port, reuse_port=True)
        await site.start()
        bound_host, bound_port = runner.addresses[0][:2]
        yield f"http://{bound_host}:{bound_port}/metrics"
    finally:
        await runner.cleanup()
