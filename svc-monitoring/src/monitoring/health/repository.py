"""Writes and sums of the health read model (the only module here that touches its table)."""

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring import tallies_repository as tallies
from monitoring.filters import Period
from monitoring.health.models import booking_daily

COUNTERS = ("booked", "cancelled", "assisted", "quota")


def day_of(visit_date: date, facility_code: str, service_code: str) -> dict[str, Any]:
    """The key of one service's visit day at one facility."""
    return {"visit_date": visit_date, "facility_code": facility_code, "service_code": service_code}


async def count(session: AsyncSession, day: dict[str, Any], **amounts: int) -> None:
    await tallies.add(session, booking_daily, day, **amounts)


async def offer(session: AsyncSession, day: dict[str, Any], *, places: int) -> None:
    """The day offers ``places`` (the largest any booking of it reported)."""
    await tallies.keep_highest(session, booking_daily, day, quota=places)


async def totals(
    session: AsyncSession, period: Period, *, facility: str | None, by_day: bool
) -> list[dict[str, Any]]:
    """`COUNTERS` summed per facility and service (and visit day, if ``by_day``)."""
    columns = booking_daily.c
    keys = {"facility_code": columns.facility_code, "service_code": columns.service_code}
    if by_day:
        keys["visit_date"] = columns.visit_date
    where = [period.covers(columns.visit_date)]
    if facility is not None:
        where.append(columns.facility_code == facility)
    return await tallies.sums(session, booking_daily, keys=keys, counters=COUNTERS, where=where)
