"""Endpoints for health facilities and the services they offer (public)."""

from typing import Annotated

from fastapi import APIRouter, Query

from health.facilities import repository
from health.facilities.dependencies import AnyFacility
from health.facilities.schemas import ClinicServiceRead, FacilityRead
from kota_shared.db import DbSession

router = APIRouter(prefix="/v1/health/facilities", tags=["health"])


@router.get(
    "",
    summary="List health facilities",
    description=(
        "Who may call: anyone, without signing in (the directory is public). Ordered by name. "
        "Strongly consistent."
    ),
)
async def list_facilities(
    session: DbSession,
    district_code: Annotated[
        str | None,
        Query(
            pattern=r"^\d{6}$",
            description="Only facilities in this kecamatan (6-digit code).",
            examples=["367105"],
        ),
    ] = None,
) -> list[FacilityRead]:
    facilities = await repository.list_facilities(session, district_code=district_code)
    return [FacilityRead.model_validate(f) for f in facilities]


@router.get(
    "/{facility_id}/services",
    summary="The polyclinic services a facility offers, and the days each runs",
    description=(
        "Who may call: anyone, without signing in. Each service's code is what a booking "
        "names (`umum`, `gigi`, `kia`); its daily quota and open weekdays are what bookings "
        "are checked against. Which days can be booked is not listed: today up to "
        "`HEALTH_BOOKING_HORIZON_DAYS` ahead on the open weekdays, the furthest one opening "
        "at `HEALTH_BOOKING_OPENS_AT` (city time) each morning (see `bookClinicVisit`). "
        "Ordered by name. An unknown facility is 404."
    ),
)
async def list_services(facility: AnyFacility, session: DbSession) -> list[ClinicServiceRead]:
    services = await repository.list_services(session, facility_id=facility.id)
    return [ClinicServiceRead.model_validate(s) for s in services]
