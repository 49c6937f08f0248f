"""Endpoints for the citizen's own bookings: book, list, read, cancel."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from health.bookings import repository, service
from health.bookings.dependencies import OwnBookingForUpdate, VisibleBooking
from health.bookings.models import BookingStatus
from health.bookings.schemas import BookingRead, BookingRequest
from health.dependencies import Citizen, CitizenOrClinicOfficer, Idempotent
from health.problems import (
    AlreadyBooked,
    AlreadyBookedAtFacility,
    BookingNotActive,
    BookingNotOpenYet,
    CancellationTooLate,
    FullyBooked,
    ServiceClosed,
    TooManyActiveBookings,
    UnknownClinicService,
    UnknownFacility,
    VisitDateBeyondHorizon,
    VisitDateInPast,
)
from health.transaction import HealthTx
from kota_shared.openapi import answers
from kota_shared.pagination import PAGINATION_DESCRIPTION, Page

router = APIRouter(prefix="/v1/health/bookings", tags=["health"])


@router.post(
    "",
    status_code=201,
    response_model=BookingRead,
    responses=answers(
        UnknownFacility,
        UnknownClinicService,
        VisitDateInPast,
        VisitDateBeyondHorizon,
        ServiceClosed,
        BookingNotOpenYet,
        AlreadyBooked,
        AlreadyBookedAtFacility,
        TooManyActiveBookings,
        FullyBooked,
    ),
    summary="Book a place in a polyclinic's queue for a day, and get its queue number",
    description=(
        "Who may call: a signed-in citizen, for themselves (or an officer at a kiosk with a "
        "token for the citizen; the booking records the officer). The visit date is today up "
        "to `HEALTH_BOOKING_HORIZON_DAYS` ahead (422 `visit_date_in_past`, "
        "`visit_date_beyond_horizon`), on a day the service runs (422 `service_closed`). A "
        "day opens for booking at `HEALTH_BOOKING_OPENS_AT` (default 07:00, city time, "
        "`HEALTH_TIMEZONE`) `HEALTH_BOOKING_HORIZON_DAYS` before it, one day each morning: "
        "before that hour the newest day is 409 `booking_not_open_yet`, whose `opens_at` "
        "says when (`visit_date_beyond_horizon` carries `opens_at` too). An unknown facility "
        "or service is 422 (`unknown_facility`, `unknown_clinic_service`). A citizen holds "
        "one active booking per queue (409 `already_booked`, naming the one held in "
        "`booking_id`) and per facility and day, whichever service (409 "
        "`already_booked_at_facility`, naming it too), and at most "
        "`HEALTH_MAX_ACTIVE_BOOKINGS` (default 3) active bookings in all, active meaning "
        "booked and visiting today or later (409 `too_many_active_bookings`, with "
        "`max_active_bookings`; cancelling one allows another). A day whose quota is taken "
        "is 409 `fully_booked`. These limits hold under concurrent requests: a citizen's "
        "bookings are checked one after another, as are a queue's. Queue numbers are "
        "consecutive per facility, service and day. With an `Idempotency-Key`, a retry "
        "returns the first answer. Strongly consistent."
    ),
)
async def book_clinic_visit(
    body: BookingRequest, tx: HealthTx, citizen: Citizen, idempotent: Idempotent
) -> Response:
    async def book_it() -> BookingRead:
        booking = await service.book(tx, citizen=citizen, request=body)
        return BookingRead.of(booking, citizen)

    return await idempotent.run(tx.session, scope=citizen.subject, operation=book_it)


@router.get(
    "",
    summary="Your bookings: upcoming and active unless asked otherwise",
    description=(
        "Who may call: a signed-in citizen; only their own bookings are listed. By default "
        "the active bookings visiting today or later; `status` and `from_date` widen it "
        "(e.g. `status=booked&status=cancelled`). Ordered by visit date, then queue number. "
        "Strongly consistent." + PAGINATION_DESCRIPTION
    ),
)
async def list_bookings(
    tx: HealthTx,
    citizen: Citizen,
    page: Page,
    response: Response,
    status: Annotated[list[BookingStatus] | None, Query()] = None,
    from_date: Annotated[
        date | None, Query(description="Visits on or after this day; default today.")
    ] = None,
) -> list[BookingRead]:
    bookings = await service.list_of_citizen(
        tx,
        citizen=citizen,
        from_date=from_date,
        statuses=status,
        after=page.after(*repository.CITIZEN_KEY_TYPES),
        limit=page.fetch_size(),
    )
    shown = page.answer(bookings, response, key=repository.CITIZEN_ORDER.key)
    return [BookingRead.of(b, citizen) for b in shown]


@router.get(
    "/{booking_id}",
    summary="Read one booking",
    description=(
        "Who may call: the citizen who holds it (anyone else gets 404, as if it did not "
        "exist), or a clinic officer (`clinic_officer`). Strongly consistent."
    ),
)
async def read_booking(caller: CitizenOrClinicOfficer, booking: VisibleBooking) -> BookingRead:
    return BookingRead.of(booking, caller)


@router.post(
    "/{booking_id}/cancel",
    responses=answers(BookingNotActive, CancellationTooLate),
    summary="Cancel a booking before the visit day",
    description=(
        "Who may call: the citizen who holds it (or an officer at a kiosk with a token for "
        "the citizen); anyone else gets 404. Only until the day before the visit (409 "
        "`cancellation_too_late`), and only an active booking (409 `booking_not_active`). "
        "The place is freed for someone else, and no longer counts against the citizen's "
        "`HEALTH_MAX_ACTIVE_BOOKINGS`; the number is not given again."
    ),
)
async def cancel_booking(
    tx: HealthTx, citizen: Citizen, booking: OwnBookingForUpdate
) -> BookingRead:
    await service.cancel(tx, booking=booking, by=citizen)
    return BookingRead.of(booking, citizen)
