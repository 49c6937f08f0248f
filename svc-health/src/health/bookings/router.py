"""Endpoints for the citizen's own bookings: book, list, read, cancel."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from health.bookings import repository, service
from health.bookings.desk import BookingDesk, Desk
from health.bookings.models import Booking, BookingStatus
from health.bookings.schemas import BookingRead, BookingRequest
from health.dependencies import Citizen, CitizenOrClinicOfficer, Idempotent, is_clinic_officer
from kota_shared.auth import Principal
from kota_shared.problems import NotFound

router = APIRouter(prefix="/v1/health/bookings", tags=["health"])


async def _visible(
    desk: BookingDesk, caller: Principal, booking_id: uuid.UUID, *, for_update: bool = False
) -> Booking:
    found = await repository.get_visible(
        session=desk.session,
        booking_id=booking_id,
        viewer=caller.subject,
        sees_all=is_clinic_officer(caller),
        for_update=for_update,
    )
    if found is None:
        raise NotFound("No booking with this id belongs to you.")
    return found


@router.post(
    "",
    status_code=201,
    response_model=BookingRead,
    summary="Book a place in a polyclinic's queue for a day, and get its queue number",
    description=(
        "Who may call: a signed-in citizen, for themselves (or an officer at a kiosk with a "
        "token for the citizen; the booking records the officer). The visit date is today up "
        "to `HEALTH_BOOKING_HORIZON_DAYS` ahead (422 `visit_date_in_past`, "
        "`visit_date_beyond_horizon`), on a day the service runs (422 `service_closed`). An "
        "unknown facility or service is 422 (`unknown_facility`, `unknown_clinic_service`). "
        "A day whose quota is taken is 409 `fully_booked`; a second active booking of the "
        "same queue is 409 `already_booked` (naming the one held). Queue numbers are "
        "consecutive per facility, service and day. With an `Idempotency-Key`, a retry returns "
        "the first answer. Strongly consistent."
    ),
)
async def book(
    body: BookingRequest, desk: Desk, citizen: Citizen, idempotent: Idempotent
) -> Response:
    async def book_it() -> BookingRead:
        return BookingRead.of(await service.book(desk, citizen, body))

    return await idempotent.run(desk.session, scope=citizen.subject, operation=book_it)


@router.get(
    "",
    summary="Your bookings: upcoming and active unless asked otherwise",
    description=(
        "Who may call: a signed-in citizen; only their own bookings are listed. By default "
        "the active bookings visiting today or later; `status` and `from_date` widen it "
        "(e.g. `status=booked&status=cancelled`). Ordered by visit date, then queue number. "
        "Strongly consistent."
    ),
)
async def list_bookings(
    desk: Desk,
    citizen: Citizen,
    status: Annotated[list[BookingStatus] | None, Query()] = None,
    from_date: Annotated[
        date | None, Query(description="Visits on or after this day; default today.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> list[BookingRead]:
    bookings = await repository.list_of_citizen(
        session=desk.session,
        citizen_id=citizen.subject,
        from_date=from_date or desk.today,
        statuses=status or [BookingStatus.BOOKED],
        limit=limit,
    )
    return [BookingRead.of(b) for b in bookings]


@router.get(
    "/{booking_id}",
    summary="Read one booking",
    description=(
        "Who may call: the citizen who holds it (anyone else gets 404, as if it did not "
        "exist), or a clinic officer (`clinic_officer`). Strongly consistent."
    ),
)
async def read_booking(
    booking_id: uuid.UUID, desk: Desk, caller: CitizenOrClinicOfficer
) -> BookingRead:
    return BookingRead.of(await _visible(desk, caller, booking_id))


@router.post(
    "/{booking_id}/cancel",
    summary="Cancel a booking before the visit day",
    description=(
        "Who may call: the citizen who holds it (or an officer at a kiosk with a token for "
        "the citizen); anyone else gets 404. Only until the day before the visit (409 "
        "`cancellation_too_late`), and only an active booking (409 `booking_not_active`). "
        "The place is freed for someone else; the number is not given again."
    ),
)
async def cancel(booking_id: uuid.UUID, desk: Desk, citizen: Citizen) -> BookingRead:
    booking = await _visible(desk, citizen, booking_id, for_update=True)
    await service.cancel(desk, citizen, booking)
    return BookingRead.of(booking)
