"""The clinic officers' view of a day's queue at one facility, in the order it is called."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from health.bookings import service as bookings
from health.bookings.models import BookingStatus
from health.bookings.schemas import BookingRead
from health.dependencies import ClinicOfficer
from health.facilities.dependencies import AnyFacility
from health.facilities.schemas import SERVICE_CODE_PATTERN
from health.problems import UnknownClinicService
from health.transaction import HealthTx
from kota_shared.openapi import answers

router = APIRouter(prefix="/v1/health/facilities", tags=["health"])


@router.get(
    "/{facility_id}/queue",
    responses=answers(UnknownClinicService),
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
    tx: HealthTx,
    officer: ClinicOfficer,
    facility: AnyFacility,
    visit_date: Annotated[date | None, Query(alias="date")] = None,
    service: Annotated[str | None, Query(pattern=SERVICE_CODE_PATTERN)] = None,
    status: Annotated[list[BookingStatus] | None, Query()] = None,
) -> list[BookingRead]:
    day = await bookings.day_queue(
        tx, facility=facility, visit_date=visit_date, service_code=service, statuses=status
    )
    return [BookingRead.of(b, officer) for b in day]
