"""Queries on facilities (the only module here that builds a select)."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from health.facilities.models import Facility


async def list_facilities(
    *, session: AsyncSession, district_code: str | None = None
) -> Sequence[Facility]:
    """Facilities by name (code breaks ties, so pages stay stable), optionally in one district."""
    query = select(Facility).order_by(Facility.name, Facility.code)
    if district_code is not None:
        query = query.where(Facility.district_code == district_code)
    return (await session.scalars(query)).all()
