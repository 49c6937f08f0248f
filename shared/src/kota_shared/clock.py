"""A service's notion of "now", injected so time-driven rules (deadlines, invoice expiry)
can be tested by moving time instead of waiting for it."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def _now(request: Request) -> datetime:
    """The app's clock (``app.state.clock``, set by the service), or the system's."""
    clock: Clock = getattr(request.app.state, "clock", system_clock)
    return clock()


Now = Annotated[datetime, Depends(_now)]
"""The request's "now", from the app's injectable clock."""
