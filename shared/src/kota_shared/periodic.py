"""Run a job every few seconds for as long as a service runs (deadline sweeps, expiry)."""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

_log = logging.getLogger(__name__)


@asynccontextmanager
async def every(
    seconds: float, job: Callable[[], Awaitable[object]], *, name: str
) -> AsyncIterator[None]:
    """Run ``job`` now and then every ``seconds`` until the block exits.

    A failing run is logged and retried at the next tick, so one bad row cannot stop the
    job for good; exiting the block cancels a run in progress (its transaction rolls back).
    """

    async def loop() -> None:
        while True:
            try:
                await job()
            except Exception:
                _log.exception("%s failed; retrying at the next tick", name)
            await asyncio.sleep(seconds)

    task = asyncio.create_task(loop(), name=name)
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
