"""Gap-free queue numbers per facility, service and day, taken under the queue's row lock."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from health.bookings.models import QueueCounter


@dataclass(frozen=True)
class Queue:
    """One day's queue of one service at one facility."""

    facility_id: uuid.UUID
    service_code: str
    visit_date: date


async def lock(session: AsyncSession, queue: Queue) -> None:
    """Hold the queue's counter row (created at 0 if new) until the transaction ends.

    Every booking of this queue takes the lock before it looks at the queue, so what it
    checks (the quota, the citizen's own booking) cannot change before it commits. The
    no-op update is what locks an existing row; ``ON CONFLICT DO NOTHING`` would not.
    """
    statement = insert(QueueCounter).values(
        facility_id=queue.facility_id,
        service_code=queue.service_code,
        visit_date=queue.visit_date,
        last_number=0,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[
                QueueCounter.facility_id,
                QueueCounter.service_code,
                QueueCounter.visit_date,
            ],
            set_={"last_number": QueueCounter.last_number},
        )
    )


async def take_next(session: AsyncSession, queue: Queue) -> int:
    """The queue's next number; call `lock` first, in the same transaction.

    A rollback returns the number, so none is skipped.
    """
    number: int | None = await session.scalar(
        update(QueueCounter)
        .where(
            QueueCounter.facility_id == queue.facility_id,
            QueueCounter.service_code == queue.service_code,
            QueueCounter.visit_date == queue.visit_date,
        )
        .values(last_number=QueueCounter.last_number + 1)
        .returning(QueueCounter.last_number)
    )
    if number is None:
        raise RuntimeError(f"the counter of {queue} is not there: lock the queue first")
    return number
