"""What the registry saw and counted: each call received, and each account's calls per day.

Tests read the call log (``GET /simulator/calls``) to assert what the suite asked, and with
which account; the quota counts every call an account makes in a local calendar day,
including those that find nothing, as Dukcapil's does.
"""

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

Clock = Callable[[], datetime]

Answer = Literal[
    "found",
    "not_found",
    "wrong_credentials",
    "ip_not_registered",
    "quota_exhausted",
    "bad_request",
    "unknown_service",
    "unavailable",
]
"""What a call was answered with: data (or a verification), or why not."""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Call:
    at: datetime
    service: str
    institution: str
    answer: Answer
    user_id: str | None = None
    ip_user: str | None = None
    nik: str | None = None
    no_kk: str | None = None


class CallLog:
    """The last ``size`` calls, newest first."""

    def __init__(self, *, size: int) -> None:
        self._calls: deque[Call] = deque(maxlen=size)
        self._lock = threading.Lock()

    def record(self, call: Call) -> None:
        with self._lock:
            self._calls.appendleft(call)

    def recent(self, limit: int) -> list[Call]:
        with self._lock:
            return list(self._calls)[:limit]


class Quota:
    """Calls per account per local day; a new day starts from zero."""

    def __init__(self) -> None:
        self._spent: dict[tuple[str, date], int] = {}
        self._lock = threading.Lock()

    def spend(self, user_id: str, *, day: date, allowed: int) -> bool:
        """Count one call; False (and nothing counted) if the day's calls are spent."""
        with self._lock:
            spent = self._spent.get((user_id, day), 0)
            if spent >= allowed:
                return False
            # Yesterday's counts are no use any more: keep the table small.
            self._spent = {key: n for key, n in self._spent.items() if key[1] >= day}
            self._spent[(user_id, day)] = spent + 1
            return True

    def spent(self, user_id: str, *, day: date) -> int:
        with self._lock:
            return self._spent.get((user_id, day), 0)

    def reset(self) -> None:
        with self._lock:
            self._spent.clear()
