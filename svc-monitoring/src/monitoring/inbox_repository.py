"""Queries on the consumers' inbox (the only module here with SQL for it)."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.db import EVENT_TABLES


async def applied_by(session: AsyncSession, consumer: str) -> int:
    """How many events ``consumer`` has applied in this database."""
    inbox = EVENT_TABLES.inbox
    count = await session.scalar(
        select(func.count()).select_from(inbox).where(inbox.c.consumer == consumer)
    )
    return int(count or 0)
