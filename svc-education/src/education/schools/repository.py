"""Queries on schools (the only module here that builds a select)."""

from collections.abc import Sequence

from kota_contracts.education import SchoolLevel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from education.schools.models import School


async def list_schools(
    *, session: AsyncSession, level: SchoolLevel | None = None
) -> Sequence[School]:
    """Schools by name (NPSN breaks ties, so pages stay stable), optionally of one level."""
    query = select(School).order_by(School.name, School.npsn)
    if level is not None:
        query = query.where(School.level == level)
    return (await session.scalars(query)).all()


async def get_by_npsn(*, session: AsyncSession, npsn: str) -> School | None:
    return await session.scalar(select(School).where(School.npsn == npsn))
