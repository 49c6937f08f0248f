"""The registry audit's statements: one call counted against a day's quota, one call
recorded, the count of a day."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kota_gateway.identity.registry.models import RegistryCall, RegistryQuotaDay


async def take_one_call(session: AsyncSession, *, day: date, quota: int) -> bool:
    """Count one call on ``day`` unless ``quota`` are counted already (then False, nothing
    counted). One atomic upsert, so no two callers take the last unit."""
    statement = (
        insert(RegistryQuotaDay)
        .values(day=day, used=1)
        .on_conflict_do_update(
            index_elements=[RegistryQuotaDay.day],
            set_={"used": RegistryQuotaDay.used + 1},
            where=RegistryQuotaDay.used < quota,
        )
        .returning(RegistryQuotaDay.used)
    )
    return await session.scalar(statement) is not None


async def calls_on(session: AsyncSession, *, day: date) -> int:
    used = await session.scalar(select(RegistryQuotaDay.used).where(RegistryQuotaDay.day == day))
    return used or 0


def record_call(session: AsyncSession, call: RegistryCall) -> None:
    session.add(call)
