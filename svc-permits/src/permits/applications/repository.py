"""Queries on applications (the only module here that selects them)."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.keyset import ListOrder, SortColumn
from kota_shared.pagination import Key
from permits.applications.models import Application, Transition
from permits.applications.workflow import Status


async def get_owned(
    session: AsyncSession, *, application_id: uuid.UUID, applicant_id: str, for_update: bool = False
) -> Application | None:
    """One application, only if it belongs to ``applicant_id`` (others' are invisible)."""
    query = select(Application).where(
        Application.id == application_id, Application.applicant_id == applicant_id
    )
    return await session.scalar(query.with_for_update() if for_update else query)


async def get_any(
    session: AsyncSession, *, application_id: uuid.UUID, for_update: bool = False
) -> Application | None:
    """Any application (officers and the system); ``for_update`` locks it for a transition."""
    query = select(Application).where(Application.id == application_id)
    return await session.scalar(query.with_for_update() if for_update else query)


async def get_visible(
    session: AsyncSession,
    *,
    application_id: uuid.UUID,
    viewer: str,
    sees_all: bool,
    for_update: bool = False,
) -> Application | None:
    """The application if ``viewer`` may see it: any for officers (``sees_all``), else only
    their own, so another citizen's is indistinguishable from none."""
    if sees_all:
        return await get_any(session, application_id=application_id, for_update=for_update)
    return await get_owned(
        session, application_id=application_id, applicant_id=viewer, for_update=for_update
    )


async def count_drafts(session: AsyncSession, *, applicant_id: str) -> int:
    """How many of ``applicant_id``'s applications are drafts (not yet submitted or withdrawn)."""
    count = await session.scalar(
        select(func.count())
        .select_from(Application)
        .where(Application.applicant_id == applicant_id, Application.status == Status.DRAFT)
    )
    return int(count or 0)


OWNED_ORDER = ListOrder(
    [SortColumn(Application.created_at, descending=True), SortColumn(Application.id)]
)
"""An applicant's applications: newest first."""
OWNED_KEY_TYPES = (datetime, uuid.UUID)


async def list_owned(
    session: AsyncSession, *, applicant_id: str, after: Key | None, limit: int
) -> Sequence[Application]:
    """The applicant's applications in `OWNED_ORDER`, from the one after ``after`` on."""
    query = select(Application).where(Application.applicant_id == applicant_id)
    if after is not None:
        query = query.where(OWNED_ORDER.after(after))
    return (await session.scalars(query.order_by(*OWNED_ORDER.order_by()).limit(limit))).all()


@dataclass(frozen=True)
class QueueFilter:
    statuses: Sequence[Status]
    permit_type: str | None = None
    district_code: str | None = None
    due_before: datetime | None = None
    claimed_by: str | None = None
    unclaimed: bool = False


def _queue_query(queue: QueueFilter) -> Select[Application]:
    query = select(Application).where(Application.status.in_(queue.statuses))
    if queue.permit_type is not None:
        query = query.where(Application.permit_type == queue.permit_type)
    if queue.district_code is not None:
        query = query.where(Application.district_code == queue.district_code)
    if queue.due_before is not None:
        query = query.where(Application.stage_deadline_at < queue.due_before)
    if queue.claimed_by is not None:
        query = query.where(Application.claimed_by == queue.claimed_by)
    if queue.unclaimed:
        query = query.where(Application.claimed_by.is_(None))
    return query


QUEUE_ORDER = ListOrder(
    [
        SortColumn(Application.stage_deadline_at, nulls_last=True),
        SortColumn(Application.submitted_at, nulls_last=True),
        SortColumn(Application.id),
    ]
)
"""Officers' work: the most urgent deadline first (no deadline last, then oldest)."""
QUEUE_KEY_TYPES = (datetime, datetime, uuid.UUID)


async def queue(
    session: AsyncSession, *, queue: QueueFilter, after: Key | None, limit: int
) -> Sequence[Application]:
    """Officers' work in `QUEUE_ORDER`, from the one after ``after`` on."""
    query = _queue_query(queue)
    if after is not None:
        query = query.where(QUEUE_ORDER.after(after))
    return (await session.scalars(query.order_by(*QUEUE_ORDER.order_by()).limit(limit))).all()


async def overdue(session: AsyncSession, *, now: datetime, limit: int) -> Sequence[Application]:
    """Applications whose running stage passed its deadline and were not handled yet.

    Locked with SKIP LOCKED so two replicas sweeping at once share the work, not repeat it.
    """
    return (
        await session.scalars(
            select(Application)
            .where(
                Application.stage_deadline_at <= now,
                Application.deadline_passed_at.is_(None),
            )
            .order_by(Application.stage_deadline_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()


async def mark_escalated(session: AsyncSession, *, application_id: uuid.UUID, at: datetime) -> None:
    """Record a passed deadline as handled by escalation (when its policy could not run)."""
    await session.execute(
        update(Application)
        .where(Application.id == application_id)
        .values(deadline_passed_at=at, escalated_at=at)
    )


async def history(session: AsyncSession, *, application_id: uuid.UUID) -> Sequence[Transition]:
    return (
        await session.scalars(
            select(Transition)
            .where(Transition.application_id == application_id)
            .order_by(Transition.id)
        )
    ).all()
