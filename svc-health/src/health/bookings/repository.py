"""Queries on bookings and their queues' counters (the only module here that touches them).

Every booking is loaded with its service and facility, which every answer shows; the
relationships raise if anything tries to load them later by surprise.
"""

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from health.bookings.models import (
    Booking,
    BookingStatus,
    CitizenBookingLock,
    Queue,
    QueueCounter,
)
from health.facilities.models import ClinicService
from kota_shared.keyset import ListOrder, SortColumn
from kota_shared.pagination import Key


def _with_place() -> Select[Booking]:
    return select(Booking).options(
        joinedload(Booking.service, innerjoin=True).joinedload(
            ClinicService.facility, innerjoin=True
        )
    )


def _in(queue: Queue) -> tuple[ColumnElement[bool], ...]:
    return (
        Booking.facility_id == queue.facility_id,
        Booking.service_code == queue.service_code,
        Booking.visit_date == queue.visit_date,
    )


async def lock_citizen(session: AsyncSession, *, citizen_id: str) -> None:
    """Hold the citizen's row (created if new) until the transaction ends.

    Every booking of the citizen takes it before it looks at their other bookings, and
    before it locks a queue (always in that order, so two bookings never wait on each
    other in a circle). The no-op update is what locks an existing row, as in `lock_queue`.
    """
    statement = insert(CitizenBookingLock).values(citizen_id=citizen_id)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CitizenBookingLock.citizen_id],
            set_={"citizen_id": CitizenBookingLock.citizen_id},
        )
    )


async def lock_queue(session: AsyncSession, *, queue: Queue) -> None:
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


async def take_next_number(session: AsyncSession, *, queue: Queue) -> int:
    """The queue's next number, gap-free; call `lock_queue` first, in the same transaction.

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


async def count_active(session: AsyncSession, *, queue: Queue) -> int:
    """How many places of the queue are taken (cancelled bookings take none)."""
    count: int | None = await session.scalar(
        select(func.count())
        .select_from(Booking)
        .where(*_in(queue), Booking.status == BookingStatus.BOOKED)
    )
    return count or 0


async def active_of(session: AsyncSession, *, queue: Queue, citizen_id: str) -> Booking | None:
    """The citizen's active booking in the queue, if they hold one."""
    return await session.scalar(
        _with_place().where(
            *_in(queue), Booking.citizen_id == citizen_id, Booking.status == BookingStatus.BOOKED
        )
    )


async def active_of_citizen_at(
    session: AsyncSession, *, citizen_id: str, facility_id: uuid.UUID, visit_date: date
) -> Booking | None:
    """The citizen's active booking at the facility on that day, of any service, if any."""
    return await session.scalar(
        _with_place()
        .where(
            Booking.citizen_id == citizen_id,
            Booking.facility_id == facility_id,
            Booking.visit_date == visit_date,
            Booking.status == BookingStatus.BOOKED,
        )
        .order_by(Booking.booked_at, Booking.id)
        .limit(1)
    )


async def count_active_of_citizen(session: AsyncSession, *, citizen_id: str, today: date) -> int:
    """How many active bookings the citizen holds: booked, visiting ``today`` or later."""
    count: int | None = await session.scalar(
        select(func.count())
        .select_from(Booking)
        .where(
            Booking.citizen_id == citizen_id,
            Booking.visit_date >= today,
            Booking.status == BookingStatus.BOOKED,
        )
    )
    return count or 0


async def get_visible(
    session: AsyncSession,
    *,
    booking_id: uuid.UUID,
    viewer: str,
    sees_all: bool,
    for_update: bool = False,
) -> Booking | None:
    """The booking if ``viewer`` may see it: any for clinic officers (``sees_all``), else
    only their own, so another citizen's is indistinguishable from none."""
    query = _with_place().where(Booking.id == booking_id)
    if not sees_all:
        query = query.where(Booking.citizen_id == viewer)
    if for_update:
        query = query.with_for_update(of=Booking)
    return await session.scalar(query)


async def list_of_citizen(
    session: AsyncSession,
    *,
    citizen_id: str,
    from_date: date,
    statuses: Sequence[BookingStatus],
    after: Key | None,
    limit: int,
) -> Sequence[Booking]:
    """The citizen's bookings visiting on or after ``from_date``, in `CITIZEN_ORDER`, from
    the one after ``after`` on."""
    query = _with_place().where(
        Booking.citizen_id == citizen_id,
        Booking.visit_date >= from_date,
        Booking.status.in_(statuses),
    )
    if after is not None:
        query = query.where(CITIZEN_ORDER.after(after))
    return (await session.scalars(query.order_by(*CITIZEN_ORDER.order_by()).limit(limit))).all()


CITIZEN_ORDER = ListOrder(
    [SortColumn(Booking.visit_date), SortColumn(Booking.queue_number), SortColumn(Booking.id)]
)
"""A citizen's bookings: by visit date, then queue number."""
CITIZEN_KEY_TYPES = (date, int, uuid.UUID)


async def day_at_facility(
    session: AsyncSession,
    *,
    facility_id: uuid.UUID,
    visit_date: date,
    service_code: str | None,
    statuses: Sequence[BookingStatus],
) -> Sequence[Booking]:
    """A facility's bookings for one day in queue order (by service, then number)."""
    query = _with_place().where(
        Booking.facility_id == facility_id,
        Booking.visit_date == visit_date,
        Booking.status.in_(statuses),
    )
    if service_code is not None:
        query = query.where(Booking.service_code == service_code)
    return (await session.scalars(query.order_by(Booking.service_code, Booking.queue_number))).all()
