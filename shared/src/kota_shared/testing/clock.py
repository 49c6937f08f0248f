"""A clock tests can set, for apps that take an injectable clock (deadlines, expiry)."""

from datetime import UTC, datetime


class MovableClock:
    """Real time unless a test sets ``fixed``."""

    def __init__(self) -> None:
        self.fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self.fixed or datetime.now(UTC)
