"""Per-account sign-in lockout: exponential backoff after consecutive failures.

The state (failure count, locked-until) lives on the account row, so every gateway
replica sees the same lock. The policy is the pure rule; the functions below apply it to
an account the caller holds row-locked, so concurrent guesses are counted one by one.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from kota_gateway.identity.accounts.models import Account
from kota_gateway.identity.accounts.problems import TooManyAttempts


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


def refusal_while_locked(account: Account, *, now: datetime) -> TooManyAttempts | None:
    """The refusal while the account is locked at ``now``; None when it is not."""
    if account.locked_until is not None and account.locked_until > now:
        return TooManyAttempts(retry_after_seconds(account.locked_until, now=now))
    return None


def count_failure(
    account: Account, *, policy: LockoutPolicy, now: datetime
) -> TooManyAttempts | None:
    """Count a wrong password; the lock it starts, if it reaches the policy's limit."""
    account.failed_logins += 1
    lock = policy.lock_after(account.failed_logins)
    if lock is None:
        return None
    account.locked_until = now + lock
    return TooManyAttempts(retry_after_seconds(account.locked_until, now=now))


def reset_failures(account: Account) -> None:
    account.failed_logins = 0
    account.locked_until = None
