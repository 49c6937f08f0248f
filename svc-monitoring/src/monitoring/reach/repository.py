"""Writes and sums of the digital-divide read model (the only module here that touches it)."""

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring import tallies_repository as tallies
from monitoring.filters import Period
from monitoring.reach.models import reach_daily


async def count(
    session: AsyncSession, *, service: str, kecamatan: str, day: date, assisted: bool
) -> None:
    key = {"service": service, "kecamatan_code": kecamatan, "day": day}
    await tallies.add(session, reach_daily, key, transactions=1, assisted=int(assisted))


async def totals(
    session: AsyncSession, period: Period, *, by_kecamatan: bool, service: str | None
) -> list[dict[str, Any]]:
    """Transactions and assisted ones per service (and district, if ``by_kecamatan``)."""
    columns = reach_daily.c
    keys = {"service": columns.service}
    if by_kecamatan:
        keys["kecamatan"] = columns.kecamatan_code
    where = [period.covers(columns.day)]
    if service is not None:
        where.append(columns.service == service)
    return await tallies.sums(
        session, reach_daily, keys=keys, counters=("transactions", "assisted"), where=where
    )
