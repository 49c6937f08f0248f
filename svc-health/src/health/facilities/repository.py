"""Queries on facilities and their services (the only module here that selects them)."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from health.facilities.models import ClinicService, Facility


async def list_facilities(
    *, session: AsyncSession, district_code: str | None = None
) -> Sequence[Facility]:
    """Facilities by name (code breaks ties, so pages stay stable), optionally in one district."""
    query = select(Facility).order_by(Facility.name, Facility.code)
    if district_code is not None:
        query = query.where(Facility.district_code == district_code)
    return (await session.scalars(query)).all()


async def get_facility(*, session: AsyncSession, facility_id: uuid.UUID) -> Facility | None:
    return await session.get(Facility, facility_id)


async def list_services(
    *, session: AsyncSession, facility_id: uuid.UUID
) -> Sequence[ClinicService]:
    """A facility's services by name."""
    return (
        await session.scalars(
            select(ClinicService)
            .where(ClinicService.facility_id == facility_id)
            .order_by(ClinicService.name, ClinicService.code)
        )
    ).all()


async def get_service(
    *, session: AsyncSession, facility_id: uuid.UUID, code: str
) -> ClinicService | None:
    """One service with its facility loaded."""
    return await session.scalar(
        select(ClinicService)
        .options(joinedload(ClinicService.facility, innerjoin=True))
        .where(ClinicService.facility_id == facility_id, ClinicService.code == code)
    )
