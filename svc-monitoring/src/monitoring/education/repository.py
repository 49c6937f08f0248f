"""Writes and sums of the education read model (the only module here that touches it)."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring import tallies_repository as tallies
from monitoring.education.models import registration_totals

COUNTERS = ("submitted", "withdrawn", "verified", "assisted", "capacity", "pathway_quota")


async def count(session: AsyncSession, key: dict[str, Any], **amounts: int) -> None:
    await tallies.add(session, registration_totals, key, **amounts)


async def offer(session: AsyncSession, key: dict[str, Any], **places: int) -> None:
    """The school's places and the pathway's quota (the largest any registration reported)."""
    await tallies.keep_highest(session, registration_totals, key, **places)


async def totals(
    session: AsyncSession, *, admission_year: int, school: str | None, level: str | None
) -> list[dict[str, Any]]:
    """`COUNTERS` summed per school, level and pathway of one admission year."""
    columns = registration_totals.c
    where = [columns.admission_year == admission_year]
    if school is not None:
        where.append(columns.school_npsn == school)
    if level is not None:
        where.append(columns.level == level)
    keys = {"school_npsn": columns.school_npsn, "level": columns.level, "pathway": columns.pathway}
    return await tallies.sums(
        session, registration_totals, keys=keys, counters=COUNTERS, where=where
    )
