"""Per-account sign-in lockout: exponential backoff after consecutive failures.

The state (failure count, locked-until) lives on the account row, so every gateway
replica sees the same lock. This module is the pure rule; the service applies it with the
row locked, so concurrent guesses are counted one by one.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    base_seconds: float = 30
    max_seconds: float = 900

    def lock_after(self, failures: int) -> timedelta | None:
        """How long to lock after ``failures`` consecutive failures (None: not locked).

        The ``max_failures``-th failure locks for ``base_seconds``; each further one (made
        after the lock ran out) doubles it, up to ``max_seconds``.
        """
        if failures < self.max_failures:
            return None
        doublings = min(failures - self.max_failures, 32)  # 2**32 times the base is past any cap
        return timedelta(seconds=min(self.base_seconds * 2**doublings, self.max_seconds))


def retry_after_seconds(locked_until: datetime, *, now: datetime) -> int:
    """Whole seconds to wait (a ``Retry-After`` value), at least 1 while locked."""
    return max(1, math.ceil((locked_until - now).total_seconds()))
