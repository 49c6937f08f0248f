"""Queries on facilities and their services (the only module here that touches them)."""

import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from health.facilities.models import ClinicService, Facility


async def list_facilities(
    session: AsyncSession, *, district_code: str | None = None
) -> Sequence[Facility]:
    """Facilities by name (code breaks ties, so pages stay stable), optionally in one district."""
    query = select(Facility).order_by(Facility.name, Facility.code)
    if district_code is not None:
        query = query.where(Facility.district_code == district_code)
    return (await session.scalars(query)).all()


async def get_facility(session: AsyncSession, *, facility_id: uuid.UUID) -> Facility | None:
    return await session.get(Facility, facility_id)


async def list_services(
    session: AsyncSession, *, facility_id: uuid.UUID
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
    session: AsyncSession, *, facility_id: uuid.UUID, code: str
) -> ClinicService | None:
    """One service with its facility loaded."""
    return await session.scalar(
        select(ClinicService)
        .options(joinedload(ClinicService.facility, innerjoin=True))
        .where(ClinicService.facility_id == facility_id, ClinicService.code == code)
    )


async def add_missing_facilities(
    session: AsyncSession, *, facilities: Sequence[Mapping[str, Any]]
) -> int:
    """Add the facilities whose code is not there yet, leaving the others as they are;
    returns how many were added."""
    added = await session.scalars(
        insert(Facility)
        .values(list(facilities))
        .on_conflict_do_nothing(index_elements=[Facility.code])
        .returning(Facility.id)
    )
    return len(added.all())


async def ids_by_code(session: AsyncSession, *, codes: Collection[str]) -> dict[str, uuid.UUID]:
    """The ids of the facilities with these codes (those that exist)."""
    rows = await session.execute(
        select(Facility.code, Facility.id).where(Facility.code.in_(list(codes)))
    )
    return {code: facility_id for code, facility_id in rows}


async def add_missing_services(
    session: AsyncSession, *, services: Sequence[Mapping[str, Any]]
) -> int:
    """Add the services their facility does not offer yet, leaving the others as they are;
    returns how many were added."""
    added = await session.scalars(
        insert(ClinicService)
        .values(list(services))
        .on_conflict_do_nothing(index_elements=[ClinicService.facility_id, ClinicService.code])
        .returning(ClinicService.code)
    )
    return len(added.all())
