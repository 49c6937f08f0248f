"""How much may be sent: to one number in an hour, and to a provider in a second. Pure
decisions; the counts and the bucket live in the database (`repository`), so every
dispatcher of every replica decides on the same figures.

Numbers are never stored, only keyed HMACs of them (`fingerprint`): enough to count the
sends to one number, useless to anyone who reads the table without the key.
"""

import enum
import hashlib
import hmac
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


def fingerprint(key: bytes, *parts: str) -> str:
    """A keyed HMAC-SHA256 of ``parts`` (hex, 64 characters); the parts are kept apart so
    ``("ab", "c")`` and ``("a", "bc")`` differ."""
    return hmac.new(key, "\x00".join(parts).encode(), hashlib.sha256).hexdigest()


class Verdict(enum.Enum):
    SEND = "send"
    DEFER = "defer"
    """Over the hourly total: sent when the oldest send of the hour leaves the window."""
    REFUSE = "refuse"
    """Over the identical limit: a 21st copy of one text within the hour is a loop, not news."""


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    until: datetime | None = None


@dataclass(frozen=True)
class NumberLimits:
    """GOV.UK Notify's rule: no more than ``identical_per_hour`` identical messages and
    ``per_hour`` in all to one number within any hour."""

    per_hour: int = 100
    identical_per_hour: int = 20
    window: timedelta = timedelta(hours=1)

    def decide(self, *, sent: Sequence[datetime], identical: Sequence[datetime]) -> Decision:
        """``sent``: the number's sends within the window, newest first, at most
        ``per_hour`` of them; ``identical``: those of the same text, likewise at most
        ``identical_per_hour``."""
        if len(identical) >= self.identical_per_hour:
            return Decision(Verdict.REFUSE)
        if len(sent) >= self.per_hour:
            return Decision(Verdict.DEFER, until=sent[self.per_hour - 1] + self.window)
        return Decision(Verdict.SEND)


@dataclass(frozen=True)
class Taken:
    granted: int
    left: float
    wait_seconds: float
    """How long until the next token, when fewer were granted than wanted; else 0."""


@dataclass(frozen=True)
class TokenBucket:
    """A provider's rate: ``rate`` sends a second on average, ``burst`` at once."""

    rate: float
    burst: float

    def take(self, *, tokens: float, elapsed_seconds: float, wanted: int) -> Taken:
        """Refill ``tokens`` for the ``elapsed_seconds`` since the last take (a clock that
        went back refills nothing) and grant up to ``wanted`` whole tokens."""
        refilled = min(self.burst, tokens + self.rate * max(elapsed_seconds, 0.0))
        granted = min(wanted, math.floor(refilled))
        left = refilled - granted
        wait = 0.0 if granted == wanted else (1 - left) / self.rate
        return Taken(granted=granted, left=left, wait_seconds=wait)
