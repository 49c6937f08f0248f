"""Queries on schools (the only module here that touches them)."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from education.schools.models import School
from kota_contracts.education import SchoolLevel


async def list_schools(
    session: AsyncSession, *, level: SchoolLevel | None = None
) -> Sequence[School]:
    """Schools by name (NPSN breaks ties, so pages stay stable), optionally of one level."""
    query = select(School).order_by(School.name, School.npsn)
    if level is not None:
        query = query.where(School.level == level)
    return (await session.scalars(query)).all()


async def get_by_npsn(session: AsyncSession, *, npsn: str) -> School | None:
    return await session.scalar(select(School).where(School.npsn == npsn))


async def add_missing(session: AsyncSession, *, schools: Sequence[Mapping[str, Any]]) -> int:
    """Add the schools whose NPSN is not there yet, leaving the others as they are; returns
    how many were added."""
    added = await session.scalars(
        insert(School)
        .values(list(schools))
        .on_conflict_do_nothing(index_elements=[School.npsn])
        .returning(School.id)
    )
    return len(added.all())
