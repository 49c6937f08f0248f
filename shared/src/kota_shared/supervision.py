"""Background work that cannot die silently: every long-running task runs supervised.

A service's outbox relay, consumers, sweeps and purges are started by one `Supervisor`. A
task that raises (or returns, which a long-running task never should) is logged with its
traceback and restarted after a jittered, growing pause. The supervisor reports each task's
state for ``/readyz`` and the metrics, and tells ``/livez`` when a task has kept failing past
a bound, so an orchestrator restarts the process instead of leaving it to limp.

Outages are not failures: a task waits out a database or broker that is away (see
`kota_shared.outages`) and only a fault of its own reaches the supervisor.
"""

import asyncio
import enum
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import Counter, Gauge

from kota_shared.backoff import Backoff, Jitter

_log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]
"""Runs until cancelled; raising or returning is a failure."""

TASK_UP = Gauge(
    "kota_background_task_up", "1 while a supervised background task runs, 0 otherwise", ["task"]
)
TASK_RESTARTS = Counter(
    "kota_background_task_restarts_total",
    "Restarts of a supervised background task after it failed",
    ["task"],
)


class TaskState(enum.Enum):
    RUNNING = "running"
    RESTARTING = "restarting"
    STOPPED = "stopped"


class TaskReturned(RuntimeError):
    """A job that should run until cancelled came back by itself."""


@dataclass(frozen=True)
class RestartPolicy:
    """How soon a failed task is restarted, and when its failing means the process is sick."""

    first_delay_seconds: float = 0.5
    max_delay_seconds: float = 30.0
    stable_after_seconds: float = 60.0
    """A task that ran this long since its last start has recovered: its streak is over."""
    unhealthy_after_seconds: float = 180.0
    """A failure streak this long fails ``/livez``."""

    def backoff(self, jitter: Jitter = random.random) -> Backoff:
        """The pauses before restarts: the suite's one back-off rule (`kota_shared.backoff`),
        doubling, capped, jittered down to half, so replicas that failed together do not
        come back in lockstep."""
        return Backoff(
            first_seconds=self.first_delay_seconds,
            max_seconds=self.max_delay_seconds,
            jitter=jitter,
        )

    def delay(self, attempt: int, jitter: float) -> float:
        """The pause before restart ``attempt`` (1, 2, …) with this ``jitter`` (0 to 1)."""
        return self.backoff(lambda: jitter).delay(attempt)


@dataclass
class _Supervised:
    name: str
    job: Job
    state: TaskState = TaskState.RUNNING
    started_at: float = 0.0
    restarts: int = 0
    streak: int = 0
    failing_since: float | None = None
    last_error: str | None = None
    runner: asyncio.Task[None] | None = field(default=None, repr=False)


class Supervisor:
    """Starts named jobs, keeps them running, and says how they are doing."""

    def __init__(
        self,
        policy: RestartPolicy | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        jitter: Jitter = random.random,
    ) -> None:
        self._policy = policy or RestartPolicy()
        self._clock = clock
        self._backoff = self._policy.backoff(jitter)
        self._tasks: dict[str, _Supervised] = {}

    def start(self, name: str, job: Job) -> None:
        if name in self._tasks:
            raise ValueError(f"a task named {name} is already supervised")
        supervised = _Supervised(name=name, job=job)
        self._tasks[name] = supervised
        supervised.runner = asyncio.create_task(self._keep_running(supervised), name=name)

    async def stop(self) -> None:
        """Cancel every task, newest first, and wait until each has finished."""
        for supervised in reversed(list(self._tasks.values())):
            if supervised.runner is not None:
                supervised.runner.cancel()
                await asyncio.gather(supervised.runner, return_exceptions=True)
            supervised.state = TaskState.STOPPED
            TASK_UP.labels(supervised.name).set(0)
        self._tasks.clear()

    async def _keep_running(self, supervised: _Supervised) -> None:
        while True:
            supervised.state = TaskState.RUNNING
            supervised.started_at = self._clock()
            TASK_UP.labels(supervised.name).set(1)
            try:
                await supervised.job()
                error: Exception = TaskReturned(f"{supervised.name} returned")
            except Exception as exc:  # the point of a supervisor: any failure is restarted
                error = exc
            TASK_UP.labels(supervised.name).set(0)
            delay = self._failed(supervised, error)
            await asyncio.sleep(delay)

    def _failed(self, supervised: _Supervised, error: Exception) -> float:
        now = self._clock()
        if self._recovered(supervised, now):
            supervised.streak = 0
            supervised.failing_since = None
        if supervised.failing_since is None:
            supervised.failing_since = now
        supervised.streak += 1
        supervised.restarts += 1
        supervised.state = TaskState.RESTARTING
        supervised.last_error = f"{type(error).__name__}: {error}"[:500]
        TASK_RESTARTS.labels(supervised.name).inc()
        delay = self._backoff.delay(supervised.streak)
        _log.error(
            "background task %s failed (%d in a row); restarting in %.1fs",
            supervised.name,
            supervised.streak,
            delay,
            exc_info=error,
        )
        return delay

    def _recovered(self, supervised: _Supervised, now: float) -> bool:
        return (
            supervised.state is TaskState.RUNNING
            and now - supervised.started_at >= self._policy.stable_after_seconds
        )

    def _unhealthy(self, supervised: _Supervised, now: float) -> bool:
        if supervised.runner is not None and supervised.runner.done():
            return True  # the supervising loop itself ended: nothing will restart the job
        if supervised.failing_since is None or self._recovered(supervised, now):
            return False
        return now - supervised.failing_since > self._policy.unhealthy_after_seconds

    def unhealthy(self) -> list[str]:
        """Tasks failing for longer than the policy allows: the process should be restarted."""
        now = self._clock()
        return [s.name for s in self._tasks.values() if self._unhealthy(s, now)]

    def report(self) -> dict[str, dict[str, Any]]:
        """Each task's state, for ``/readyz``."""
        now = self._clock()
        report: dict[str, dict[str, Any]] = {}
        for supervised in self._tasks.values():
            entry: dict[str, Any] = {
                "state": supervised.state.value,
                "restarts": supervised.restarts,
            }
            if supervised.failing_since is not None and not self._recovered(supervised, now):
                entry["failing_for_seconds"] = round(now - supervised.failing_since, 1)
                entry["last_error"] = supervised.last_error
            report[supervised.name] = entry
        return report
