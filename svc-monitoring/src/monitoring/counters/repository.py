"""Queries on event counters (the only module here with SQL for them)."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.counters.models import EventCount


async def list_counts(session: AsyncSession) -> Sequence[EventCount]:
    return (await session.scalars(select(EventCount).order_by(EventCount.event_type))).all()


async def count_one(session: AsyncSession, *, event_type: str, at: datetime | None) -> None:
    """Add one to ``event_type``'s counter: one upsert, so the first event of a type makes
    its row and every later one adds to it. The latest time is kept whatever order events
    arrive in, so a replay of the log comes out the same as the live count."""
    await session.execute(_COUNT_ONE, {"event_type": event_type, "count": 1, "last_event_at": at})


def _count_one() -> Insert:
    statement = insert(EventCount)
    return statement.on_conflict_do_update(
        index_elements=[EventCount.event_type],
        set_={
            "count": EventCount.count + 1,
            "last_event_at": func.greatest(
                EventCount.last_event_at, statement.excluded.last_event_at
            ),
        },
    )


_COUNT_ONE = _count_one()
"""Built once: every event runs it (see `monitoring.tallies_repository`)."""
