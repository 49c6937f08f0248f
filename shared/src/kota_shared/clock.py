"""A service's notion of "now", injected so time-driven rules (deadlines, invoice expiry)
can be tested by moving time instead of waiting for it; and the city's date at a moment."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def local_date(moment: datetime, timezone: ZoneInfo) -> date:
    """The city's date at ``moment``: a visit day or a registration day runs from local
    midnight to midnight, not UTC's (in Tangerang, 7 hours apart)."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment} has no timezone")
    return moment.astimezone(timezone).date()


def _now(request: Request) -> datetime:
    """The app's clock (``app.state.clock``, set by the service), or the system's."""
    clock: Clock = getattr(request.app.state, "clock", system_clock)
    return clock()


Now = Annotated[datetime, Depends(_now)]
"""The request's "now", from the app's injectable clock."""
