"""The clinic officers' view of a day's queue at one facility, in the order it is called."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from health.bookings import repository
from health.bookings.desk import Desk
from health.bookings.models import BookingStatus
from health.bookings.schemas import BookingRead
from health.dependencies import ClinicOfficer
from health.facilities import repository as facilities
from health.facilities.schemas import SERVICE_CODE_PATTERN
from health.problems import UnknownClinicService
from kota_shared.problems import NotFound

router = APIRouter(prefix="/v1/health/facilities", tags=["health"])


@router.get(
    "/{facility_id}/queue",
    summary="A day's bookings at a facility, in queue order",
    description=(
        "Who may call: a clinic officer (`clinic_officer`); citizens get 403. One day "
        "(`date`, default today) of one service (`service`) or of all, ordered by service "
        "then queue number. Cancelled bookings are listed too, so the gaps they leave are "
        "explained; `status=booked` leaves them out. An unknown facility is 404, a service "
        "it does not offer 422 `unknown_clinic_service`. Strongly consistent."
    ),
)
async def day_queue(
    facility_id: uuid.UUID,
    desk: Desk,
    _officer: ClinicOfficer,
    visit_date: Annotated[date | None, Query(alias="date")] = None,
    service: Annotated[str | None, Query(pattern=SERVICE_CODE_PATTERN)] = None,
    status: Annotated[list[BookingStatus] | None, Query()] = None,
) -> list[BookingRead]:
    if await facilities.get_facility(session=desk.session, facility_id=facility_id) is None:
        raise NotFound("There is no health facility with this id.")
    if service is not None and not await facilities.get_service(
        session=desk.session, facility_id=facility_id, code=service
    ):
        raise UnknownClinicService(
            f"The facility offers no service with code {service}.",
            errors=[{"field": "query.service", "message": "not offered by this facility"}],
        )
    bookings = await repository.day_at_facility(
        session=desk.session,
        facility_id=facility_id,
        visit_date=visit_date or desk.today,
        service_code=service,
        statuses=status or list(BookingStatus),
    )
    return [BookingRead.of(b) for b in bookings]
