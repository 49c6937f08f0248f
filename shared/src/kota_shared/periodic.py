"""Run a job every few seconds for as long as a service runs (deadline sweeps, expiry)."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from kota_shared.outages import describe, is_transient
from kota_shared.supervision import Job

_log = logging.getLogger(__name__)


def every(seconds: float, job: Callable[[], Awaitable[object]]) -> Job:
    """A job for `Supervisor.start` that runs ``job`` now and then every ``seconds``.

    A run that meets an outage is logged and tried again at the next tick. Any other failure
    is raised, so the supervisor logs it with its traceback and starts the loop again after a
    pause; a job that keeps failing that way ends up failing ``/livez``.
    """

    async def loop() -> None:
        while True:
            try:
                await job()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                task = asyncio.current_task()
                _log.warning(
                    "%s waits out an outage, next run in %.0fs: %s",
                    task.get_name() if task else "periodic job",
                    seconds,
                    describe(exc),
                )
            await asyncio.sleep(seconds)

    return loop
