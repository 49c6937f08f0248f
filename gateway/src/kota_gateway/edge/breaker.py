"""A circuit breaker per upstream: fail fast while a service is down, probe once, then resume.

closed ──N consecutive failures──▶ open ──open_seconds elapse──▶ half-open
  ▲                                 ▲                               │
  └──────── the probe succeeds ─────┼───────── the probe fails ◀────┘

While open, calls are refused at once with the time left (the proxy turns it into
``Retry-After``). Half-open admits exactly one probe; everyone else is still refused until
the probe has answered. Only the probe's outcome moves a half-open breaker; late outcomes
of calls admitted before the breaker opened are ignored, so they cannot close it by luck.

Why our own state machine rather than a library: pybreaker 1.4 has no native asyncio
support (its ``call_async`` needs Tornado); purgatory 3 is async but lets every concurrent
call through while half-open (no single probe), reads the wall clock (``time.time()``, which
jumps) and learns outcomes only from exceptions, whereas the gateway must count 502/503/504
*responses* too, needs the remaining open time for ``Retry-After`` and the state for
``/readyz`` and metrics. What is left is a few dozen lines of pure, clock-injected code that
the unit tests drive through every transition.
"""

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

FAILING_STATUSES = frozenset({502, 503, 504})
"""Answers that count against an upstream: it is there but cannot serve."""


class BreakerState(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpen(Exception):
    """The call was refused without trying: the upstream is considered down."""

    def __init__(self, name: str, retry_after: float) -> None:
        super().__init__(f"the circuit of {name} is open; next probe in {retry_after:.1f}s")
        self.name = name
        self.retry_after = retry_after


@dataclass(frozen=True)
class Admission:
    """A call the breaker let through; hand it back with its outcome."""

    probe: bool


@dataclass(frozen=True)
class BreakerSnapshot:
    state: BreakerState
    consecutive_failures: int
    retry_after: float
    """Seconds until an open circuit admits its probe (0 otherwise)."""


StateListener = Callable[[str, BreakerState], None]


class CircuitBreaker:
    """Not thread-safe by design: one event loop owns it, and no method awaits."""

    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int,
        open_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        on_change: StateListener | None = None,
    ) -> None:
        if failure_threshold < 1 or open_seconds <= 0:
            raise ValueError("failure_threshold must be ≥ 1 and open_seconds > 0")
        self.name = name
        self._threshold = failure_threshold
        self._open_seconds = open_seconds
        self._clock = clock
        self._on_change = on_change
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probe_in_flight = False
        if on_change is not None:
            on_change(name, self._state)

    def admit(self) -> Admission:
        """Let a call through, or raise `CircuitOpen` with the time left."""
        if self._state is BreakerState.CLOSED:
            return Admission(probe=False)
        if self._state is BreakerState.OPEN:
            remaining = self._opened_at + self._open_seconds - self._clock()
            if remaining > 0:
                raise CircuitOpen(self.name, remaining)
            self._set_state(BreakerState.HALF_OPEN)
        if self._probe_in_flight:
            # Someone is finding out right now; an answer is at most one request away.
            raise CircuitOpen(self.name, min(1.0, self._open_seconds))
        self._probe_in_flight = True
        return Admission(probe=True)

    def succeeded(self, admission: Admission) -> None:
        if admission.probe:
            self._probe_in_flight = False
            self._failures = 0
            self._set_state(BreakerState.CLOSED)
        elif self._state is BreakerState.CLOSED:
            self._failures = 0

    def failed(self, admission: Admission) -> None:
        if admission.probe:
            self._probe_in_flight = False
            self._trip()
        elif self._state is BreakerState.CLOSED:
            self._failures += 1
            if self._failures >= self._threshold:
                self._trip()

    def abandoned(self, admission: Admission) -> None:
        """The call ended without telling anything about the upstream (e.g. the client left)."""
        if admission.probe:
            self._probe_in_flight = False

    def snapshot(self) -> BreakerSnapshot:
        retry_after = 0.0
        state = self._state
        if state is BreakerState.OPEN:
            retry_after = max(0.0, self._opened_at + self._open_seconds - self._clock())
            if retry_after == 0:
                state = BreakerState.HALF_OPEN  # the next call will be the probe
        return BreakerSnapshot(state, self._failures, retry_after)

    def _trip(self) -> None:
        self._opened_at = self._clock()
        self._set_state(BreakerState.OPEN)

    def _set_state(self, state: BreakerState) -> None:
        if state is not self._state:
            self._state = state
            if self._on_change is not None:
                self._on_change(self.name, state)
