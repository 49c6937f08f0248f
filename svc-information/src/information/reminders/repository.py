"""Queries on reminders (the only module here that touches them)."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from information.reminders.models import Reminder, ReminderState


async def schedule(session: AsyncSession, values: dict[str, Any]) -> None:
    """Add a reminder unless its kind is already scheduled (or settled) for its subject."""
    await session.execute(
        insert(Reminder)
        .values(id=uuid.uuid4(), state=ReminderState.SCHEDULED, **values)
        .on_conflict_do_nothing(index_elements=["kind", "subject_ref"])
    )


async def cancel(session: AsyncSession, *, subject_ref: str, at: datetime) -> None:
    """Cancel the subject's reminders still scheduled."""
    await session.execute(
        update(Reminder)
        .where(Reminder.subject_ref == subject_ref, Reminder.state == ReminderState.SCHEDULED)
        .values(state=ReminderState.CANCELLED, settled_at=at)
    )


async def claim_due(session: AsyncSession, *, now: datetime, limit: int) -> Sequence[Reminder]:
    """Reminders due by ``now``, locked for this transaction; another process's sweep skips
    them rather than sending them twice."""
    query = (
        select(Reminder)
        .where(Reminder.state == ReminderState.SCHEDULED, Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(query)).all()


async def mark_sent(
    session: AsyncSession, *, reminder_ids: Sequence[uuid.UUID], at: datetime
) -> None:
    await session.execute(
        update(Reminder)
        .where(Reminder.id.in_(reminder_ids))
        .values(state=ReminderState.SENT, settled_at=at)
    )


async def for_subject(session: AsyncSession, *, subject_ref: str) -> Sequence[Reminder]:
    return (
        await session.scalars(select(Reminder).where(Reminder.subject_ref == subject_ref))
    ).all()
