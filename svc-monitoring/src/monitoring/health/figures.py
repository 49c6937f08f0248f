"""Clinic bookings per facility and service over visit days, against the places offered."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.filters import Period
from monitoring.health import repository
from monitoring.measures import share


async def bookings(
    session: AsyncSession, period: Period, *, facility: str | None, by_day: bool
) -> list[dict[str, Any]]:
    """Per facility and service (and visit day, if ``by_day``): places booked, given back,
    booked by a kiosk officer, the places offered (each day's, summed) and the fill rate."""
    rows = await repository.totals(session, period, facility=facility, by_day=by_day)
    return [_filled(row) for row in rows]


def _filled(row: dict[str, Any]) -> dict[str, Any]:
    active = row["booked"] - row["cancelled"]
    places = row.pop("quota")
    return row | {"active": active, "places": places, "fill_rate": share(active, places)}
