"""Serve an ASGI app over real HTTP on a loopback port, inside the test's event loop."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn

from kota_shared.testing.waiting import eventually


@asynccontextmanager
async def serve_app(app: Any, *, port: int = 0) -> AsyncIterator[str]:
    """Run ``app`` under uvicorn (lifespan included); yields its base URL."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_config=None,
        lifespan="on",
        # As the suite runs: the gateway alone decides the client address, and says no name.
        proxy_headers=False,
        server_header=False,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        if task.done():
            task.result()  # surface a startup failure instead of waiting for the deadline
        return server.started

    await eventually(started, within=60, what="the server to start")
    (socket,) = server.servers[0].sockets
    try:
        yield f"http://127.0.0.1:{socket.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
