"""The share of each service's transactions an officer did for the citizen at a kiosk."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.filters import Period
from monitoring.measures import share
from monitoring.reach import repository


async def assisted_shares(
    session: AsyncSession, period: Period, *, by_kecamatan: bool, service: str | None
) -> list[dict[str, Any]]:
    """Per service (and district, if ``by_kecamatan``): transactions, assisted ones, share."""
    rows = await repository.totals(session, period, by_kecamatan=by_kecamatan, service=service)
    return [row | {"assisted_share": share(row["assisted"], row["transactions"])} for row in rows]
