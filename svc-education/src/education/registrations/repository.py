"""Queries on registrations (the only module here that touches them)."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from education.registrations.models import ACTIVE, Registration
from kota_contracts.education import Pathway

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


async def list_for_parent(
    session: AsyncSession, *, parent_id: str, admission_year: int
) -> Sequence[Registration]:
    """The parent's registrations of one admission year, the newest first."""
    return (
        await session.scalars(
            select(Registration)
            .options(_WITH_SCHOOL)
            .where(
                Registration.parent_id == parent_id,
                Registration.admission_year == admission_year,
            )
            .order_by(Registration.number.desc())
        )
    ).all()


async def active_for_student(
    session: AsyncSession, *, student_nisn: str, admission_year: int
) -> Registration | None:
    """The student's active registration of the year, if any (there is at most one)."""
    return await session.scalar(
        select(Registration).where(
            Registration.student_nisn == student_nisn,
            Registration.admission_year == admission_year,
            Registration.status.in_(ACTIVE),
        )
    )


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
