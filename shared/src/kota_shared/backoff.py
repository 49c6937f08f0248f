"""Jittered exponential back-off: how long every retry in the suite waits before the next.

One rule, on tenacity's wait strategies: the pause before retry ``n`` (1, 2, …) is
tenacity's `wait_exponential`, ``first_seconds`` doubling up to ``max_seconds``, jittered
down to as little as half of it ("equal jitter"). The jitter keeps replicas, consumers or
clients that failed together from coming back in lockstep; the half that is kept means a
retry is never immediate, so a crash loop or an outage is still paced.

Two ways in:

- `Backoff.retrying` gives a `tenacity.AsyncRetrying` waiting by this rule, for retrying one
  call (``async for attempt in backoff.retrying(stop=..., retry=...)``).
- `Backoff.delay` and `Backoff.delays` give the pauses themselves, for a loop of its own
  whose attempts are not one call (a supervisor's restarts, a hot path that must not pay for
  the retry machinery until it fails).

``jitter`` is the seam a test makes the pauses deterministic with: ``lambda: 1.0`` waits the
full ceiling, ``lambda: 0.0`` exactly half of it.
"""

import itertools
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import tenacity

Jitter = Callable[[], float]
"""A number from 0 to 1 per pause (`random.random`): 1 keeps the whole ceiling, 0 half."""


class JitteredExponentialWait(tenacity.wait_exponential):
    """tenacity's exponential wait, each pause jittered down to between half and all of it."""

    def __init__(
        self, *, first_seconds: float, max_seconds: float, jitter: Jitter = random.random
    ) -> None:
        super().__init__(multiplier=first_seconds, max=max_seconds)
        self._jitter = jitter

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        return float(super().__call__(retry_state)) * (0.5 + self._jitter() / 2)


_ERRORS_ONLY = tenacity.retry_if_exception_type(Exception)
_NO_RETRYING = tenacity.Retrying()
"""What a `tenacity.RetryCallState` must name; `Backoff.delay` computes one pause alone."""


@dataclass(frozen=True)
class Backoff:
    """The pauses between attempts: ``first_seconds`` doubling up to ``max_seconds``, jittered.

    Without ``max_seconds`` the pauses grow unbounded: give it unless the number of attempts
    is bounded.
    """

    first_seconds: float
    max_seconds: float = math.inf
    jitter: Jitter = random.random

    def wait(self) -> JitteredExponentialWait:
        """This rule as a tenacity wait strategy."""
        return JitteredExponentialWait(
            first_seconds=self.first_seconds, max_seconds=self.max_seconds, jitter=self.jitter
        )

    def delay(self, attempt: int) -> float:
        """The pause before retry ``attempt`` (1 is the first retry)."""
        state = tenacity.RetryCallState(retry_object=_NO_RETRYING, fn=None, args=(), kwargs={})
        state.attempt_number = attempt
        return self.wait()(state)

    def delays(self) -> Iterator[float]:
        """The pause before each retry, endlessly: retry 1, 2, 3, …"""
        for attempt in itertools.count(1):
            yield self.delay(attempt)

    def retrying(
        self, *, retry: tenacity.retry_base = _ERRORS_ONLY, **options: Any
    ) -> tenacity.AsyncRetrying:
        """A `tenacity.AsyncRetrying` that waits by this rule; ``options`` are its others
        (``stop``, ``before_sleep``, ``reraise``, ``sleep``…).

        ``retry`` is narrowed to errors: tenacity sees every `BaseException` an attempt
        raises, and a cancelled task or an interrupt must stop the retrying, never be retried.
        """
        return tenacity.AsyncRetrying(wait=self.wait(), retry=_ERRORS_ONLY & retry, **options)
