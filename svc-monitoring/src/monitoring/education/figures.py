"""School registrations per school, level and pathway in one admission year."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.education import repository
from monitoring.measures import share


async def registrations(
    session: AsyncSession, *, admission_year: int, school: str | None, level: str | None
) -> list[dict[str, Any]]:
    """Per school, level and pathway: registrations submitted, withdrawn, still active,
    verified, made at a kiosk; the school's places, the pathway's quota and its fill rate
    (active registrations per place: above 1 when more apply than fit)."""
    rows = await repository.totals(
        session, admission_year=admission_year, school=school, level=level
    )
    return [_filled(row) for row in rows]


def _filled(row: dict[str, Any]) -> dict[str, Any]:
    active = row["submitted"] - row["withdrawn"]
    return row | {"active": active, "fill_rate": share(active, row["pathway_quota"])}
