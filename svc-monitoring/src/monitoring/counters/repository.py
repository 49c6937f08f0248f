"""Queries on event counters."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.counters.models import EventCount


async def list_counts(*, session: AsyncSession) -> Sequence[EventCount]:
    return (await session.scalars(select(EventCount).order_by(EventCount.event_type))).all()
