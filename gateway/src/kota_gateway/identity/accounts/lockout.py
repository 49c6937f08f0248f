"""Sign-in lockout per sign-in name *and* source address, with a higher ceiling per name that
slows a guess spread over many addresses without locking anybody out.

The design, and why (docs/security.md tells operators the same):

- **Counted by name, for every name.** Failures are kept per sign-in name (a NIK, a phone,
  a staff username; only their digest is stored), whether or not an account has it. An
  unknown name is refused, counted and locked exactly as a known one, so neither the
  answers (status, headers, body) nor the lock tell whether a NIK is registered.
- **Locked per source address.** ``max_failures`` failures of one name from one address
  lock that address out of that name, for ``base_seconds`` doubling with each further
  failure up to ``max_seconds``; the right password is refused too while it lasts, so the
  guessing stops. Another address is not affected: a stranger who fails five times with
  the ``admin`` name locks out themselves, not the administrator at the city hall.
- **A ceiling per name slows, never locks.** Past ``name_ceiling`` failures of one name
  from every address together (within ``window``), each address is locked out of the name
  after its *first* failure, so a botnet gets one guess per address per lock instead of
  five. An address that has not failed, such as the officer's own, still signs in.
- **Forgotten when stale.** A count with no failure for ``window`` starts again, and a
  success from an address clears that address's count; old rows are purged by a sweep.

Why not a hard lock per account: whoever knows a name could keep its owner out for good.
Why not only per address: many addresses (carrier NAT, botnets) would each get the full
budget; the ceiling takes that away. Each attempt's row is locked while the password is
checked, so concurrent guesses from one address are counted one by one (replicas too).
The per-IP ``auth`` rate limit of the edge bounds how many names one address may try.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from kota_gateway.identity.accounts import repository
from kota_gateway.identity.accounts.models import SignInFailures
from kota_gateway.identity.accounts.problems import TooManyAttempts
from kota_shared.transaction import Transaction

EVERY_SOURCE = "*"
"""The ``source`` of a name's count from every address together (never an address)."""
SOURCE_CHARS = 64


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    base_seconds: float = 30
    max_seconds: float = 900
    name_ceiling: int = 50
    window: timedelta = timedelta(hours=24)

    def lock_after(self, failures: int, *, limit: int | None = None) -> timedelta | None:
        """How long to lock after ``failures`` failures from one address (None: not locked).

        The ``limit``-th failure (``max_failures`` unless told) locks for ``base_seconds``;
        each further one (made after the lock ran out) doubles it, up to ``max_seconds``.
        """
        limit = self.max_failures if limit is None else limit
        if failures < limit:
            return None
        doublings = min(failures - limit, 32)  # 2**32 times the base is past any cap
        return timedelta(seconds=min(self.base_seconds * 2**doublings, self.max_seconds))

    def limit_at(self, failures_everywhere: int) -> int:
        """Failures one address may make, once the name has ``failures_everywhere``."""
        return 1 if failures_everywhere > self.name_ceiling else self.max_failures


def retry_after_seconds(locked_until: datetime, *, now: datetime) -> int:
    """Whole seconds to wait (a ``Retry-After`` value), at least 1 while locked."""
    return max(1, math.ceil((locked_until - now).total_seconds()))


def name_digest(kind: str, name: str) -> str:
    """What is stored of a sign-in name: ``kind`` (``nik``, ``phone``, ``username``, or
    ``account`` for a password change) and the normalised name, hashed."""
    return hashlib.sha256(f"{kind}:{name}".encode()).hexdigest()


@dataclass(frozen=True)
class Attempt:
    """One attempt of a name from an address, holding its failure row locked."""

    failures: SignInFailures


async def begin(tx: Transaction, *, digest: str, source: str) -> Attempt | TooManyAttempts:
    """Start an attempt; the refusal while this address is locked out of this name."""
    row = await repository.lock_sign_in_failures(
        tx.session, name_digest=digest, source=source[:SOURCE_CHARS]
    )
    if row.locked_until is not None and row.locked_until > tx.now:
        return TooManyAttempts(retry_after_seconds(row.locked_until, now=tx.now))
    return Attempt(row)


async def failed(
    tx: Transaction, attempt: Attempt, *, policy: LockoutPolicy
) -> TooManyAttempts | None:
    """Count a wrong password; the lock it starts, if it reaches the address's limit."""
    row, since = attempt.failures, tx.now - policy.window
    if row.last_failed_at is None or row.last_failed_at < since:
        row.failures = 0
    row.failures += 1
    row.last_failed_at = tx.now
    everywhere = await repository.count_failure_everywhere(
        tx.session, name_digest=row.name_digest, source=EVERY_SOURCE, now=tx.now, since=since
    )
    lock = policy.lock_after(row.failures, limit=policy.limit_at(everywhere))
    if lock is None:
        return None
    row.locked_until = tx.now + lock
    return TooManyAttempts(retry_after_seconds(row.locked_until, now=tx.now))


async def succeeded(tx: Transaction, attempt: Attempt) -> None:
    """The right password: this address's count of this name starts again. The count from
    every address stays until it goes stale (a success proves nothing about the others)."""
    row = attempt.failures
    await repository.forget_sign_in_failures(
        tx.session, name_digest=row.name_digest, source=row.source
    )


async def purge_stale(tx: Transaction, *, policy: LockoutPolicy) -> int:
    """Forget counts with no failure for the window and no lock in force."""
    return await repository.purge_sign_in_failures(
        tx.session, before=tx.now - policy.window, now=tx.now
    )
