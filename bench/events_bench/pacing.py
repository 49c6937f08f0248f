"""Open-loop pacing: operation i is due at start + i / rate, however long earlier ones took.

A closed loop would slow down with the system under test and hide its latency; this one keeps
the schedule, and sheds what the machine cannot start in time (``skipped``) rather than let the
queue, and the run, grow without end.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from .config import log


@dataclass(frozen=True)
class Schedule:
    """``count`` operations due at ``rate`` a second, the first ``warmup`` of them unmeasured,
    up to ``concurrency`` in flight; those due while ``max_backlog_seconds`` worth of them wait
    to start are skipped."""

    rate: float
    warmup: int
    count: int
    concurrency: int
    max_backlog_seconds: float

    def describe(self) -> str:
        return f"{self.count} events at {self.rate:g}/s ({self.warmup} warm-up)"

    @property
    def measured(self) -> range:
        """The numbers of the operations after the warm-up."""
        return range(self.warmup, self.count)


@dataclass
class Paced:
    origin: dict[int, float] = field(default_factory=dict)  # after commit / before send()
    lateness: dict[int, float] = field(default_factory=dict)  # began this long after due
    duration: dict[int, float] = field(default_factory=dict)  # took this long
    errors: int = 0
    first_error: str | None = None
    skipped: int = 0  # due while max_backlog_seconds of events were already queued


async def run_paced(
    schedule: Schedule, *, label: str, op: Callable[[int], Awaitable[float]]
) -> Paced:
    """Run ``op(n)`` for every n on ``schedule``; ``op`` returns the origin stamp of event n."""
    loop = asyncio.get_running_loop()
    slots = asyncio.Semaphore(schedule.concurrency)
    result = Paced()
    pending: set[asyncio.Task[None]] = set()

    async def one(n: int, due: float) -> None:
        async with slots:
            began = loop.time()
            result.lateness[n] = began - due
            try:
                result.origin[n] = await op(n)
            except Exception as exc:
                result.errors += 1
                result.first_error = result.first_error or repr(exc)
            result.duration[n] = loop.time() - began

    rate, count = schedule.rate, schedule.count
    start = loop.time() + 0.05
    report_every = max(1, int(rate * 10))
    for n in range(count):
        due = start + n / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if n and n % report_every == 0:
            log(
                "%s: %d of %d due, %d queued, %d skipped",
                label,
                n,
                count,
                len(pending),
                result.skipped,
            )
        if len(pending) >= rate * schedule.max_backlog_seconds:
            # The machine cannot sustain the rate: shed load rather than let the queue (and
            # the run) grow without end. What is sent still runs as fast as it can.
            result.skipped += 1
            continue
        task = asyncio.create_task(one(n, due))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    return result
