"""Queries on registrations (the only module here that touches them)."""

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from education.registrations.models import ACTIVE, Registration
from kota_contracts.education import Pathway
from kota_shared.keyset import ListOrder, SortColumn
from kota_shared.pagination import Key

_WITH_SCHOOL = joinedload(Registration.school)


async def get(
    session: AsyncSession,
    *,
    registration_id: uuid.UUID,
    parent_id: str | None = None,
    for_update: bool = False,
) -> Registration | None:
    """One registration with its school; with ``parent_id``, only if it is that parent's, so
    another parent's is indistinguishable from none."""
    query = select(Registration).options(_WITH_SCHOOL).where(Registration.id == registration_id)
    if parent_id is not None:
        query = query.where(Registration.parent_id == parent_id)
    if for_update:
        query = query.with_for_update(of=Registration)
    return await session.scalar(query)


PARENT_ORDER = ListOrder([SortColumn(Registration.number, descending=True)])
"""A parent's registrations: the newest first (``number`` is unique and grows)."""
PARENT_KEY_TYPES = (int,)


async def list_for_parent(
    session: AsyncSession, *, parent_id: str, admission_year: int, after: Key | None, limit: int
) -> Sequence[Registration]:
    """The parent's registrations of one admission year in `PARENT_ORDER`, from the one after
    ``after`` on."""
    query = (
        select(Registration)
        .options(_WITH_SCHOOL)
        .where(Registration.parent_id == parent_id, Registration.admission_year == admission_year)
    )
    if after is not None:
        query = query.where(PARENT_ORDER.after(after))
    return (await session.scalars(query.order_by(*PARENT_ORDER.order_by()).limit(limit))).all()


async def active_for_student(
    session: AsyncSession, *, student_nik: str, admission_year: int
) -> Registration | None:
    """The child's active registration of the year, if any (there is at most one)."""
    return await session.scalar(
        select(Registration).where(
            Registration.student_nik == student_nik,
            Registration.admission_year == admission_year,
            Registration.status.in_(ACTIVE),
        )
    )


_FAMILY_CARD_LOCKS = 3671
"""The first key of the family-card locks (any fixed number: it names the kind of lock)."""


async def lock_family_card(session: AsyncSession, *, family_card_number: str) -> None:
    """Hold the family card's registrations until the transaction ends: two members of one
    family registering at once are counted one after the other."""
    # The two-key form: a key space of its own, apart from the relay's and migrations'.
    await session.execute(
        select(func.pg_advisory_xact_lock(_FAMILY_CARD_LOCKS, func.hashtext(family_card_number)))
    )


async def active_on_family_card(
    session: AsyncSession, *, family_card_number: str, admission_year: int
) -> int:
    count = await session.scalar(
        select(func.count()).where(
            Registration.family_card_number == family_card_number,
            Registration.admission_year == admission_year,
            Registration.status.in_(ACTIVE),
        )
    )
    return count or 0


async def active_at_school(
    session: AsyncSession, *, school_npsn: str, admission_year: int, pathway: Pathway
) -> Sequence[Registration]:
    """A school's active registrations to one pathway, unordered: ranking orders them."""
    return (
        await session.scalars(
            select(Registration).where(
                Registration.school_npsn == school_npsn,
                Registration.admission_year == admission_year,
                Registration.pathway == pathway,
                Registration.status.in_(ACTIVE),
            )
        )
    ).all()
