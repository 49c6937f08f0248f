"""Booking and cancelling a place in a queue, and reading the queues: a citizen's bookings and
a facility's day. The request boundary commits, once."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from health.bookings import repository, rules
from health.bookings.models import Booking, BookingStatus, Queue
from health.bookings.schemas import BookingRequest
from health.facilities import repository as facilities
from health.facilities.models import ClinicService, Facility
from health.messages import _
from health.problems import (
    AlreadyBooked,
    AlreadyBookedAtFacility,
    BookingNotActive,
    UnknownClinicService,
    UnknownFacility,
)
from health.transaction import HealthTransaction
from kota_contracts.health import AppointmentBooked, AppointmentBookedV2, AppointmentCancelled
from kota_contracts.regions import dotted_kecamatan
from kota_shared.auth import Principal
from kota_shared.i18n import LongDate, Message
from kota_shared.pagination import Key

_NOT_OFFERED = _("The facility does not offer this service.")
"""The field message of a service code the facility does not offer."""
_INACTIVE: dict[BookingStatus, Message] = {
    BookingStatus.CANCELLED: _("The booking has been cancelled."),
}
"""Why a booking that is not `BookingStatus.BOOKED` can no longer change, by its status."""


async def _offered(tx: HealthTransaction, *, request: BookingRequest) -> ClinicService:
    service = await facilities.get_service(
        tx.session, facility_id=request.facility_id, code=request.service_code
    )
    if service is not None:
        return service
    facility = await facilities.get_facility(tx.session, facility_id=request.facility_id)
    if facility is not None:
        services = f"/v1/health/facilities/{facility.id}/services"
        raise UnknownClinicService(
            _(
                "{facility} offers no service with code {code}; see {services} for those it "
                "offers.",
                facility=facility.name,
                code=request.service_code,
                services=services,
            ),
            errors=[{"field": "body.service_code", "message": _NOT_OFFERED}],
        )
    raise UnknownFacility(
        errors=[
            {"field": "body.facility_id", "message": _("There is no health facility with this id.")}
        ]
    )


async def book(tx: HealthTransaction, *, citizen: Principal, request: BookingRequest) -> Booking:
    """Take the next number in the day's queue, if the day is open, the citizen may book it
    and it has room.

    Lock order: the citizen's row first, then the queue's counter. The citizen's row makes
    their bookings wait for each other, so what is checked about them (one active booking
    per facility and day, at most `HealthTransaction.max_active_bookings` in all) cannot
    change before this one commits, whichever queues the others are for. The counter does
    the same for the queue: two citizens racing for the last place are served one after the
    other, one gets it, the other learns the day is full. Taking the two in the same order
    everywhere means no two bookings wait on each other in a circle.
    """
    service = await _offered(tx, request=request)
    window = rules.BookingWindow(
        horizon_days=tx.horizon_days, opens_at=tx.booking_opens_at, timezone=tx.timezone
    )
    rules.check_visit_date(request.visit_date, now=tx.now, window=window)
    rules.check_open(service.open_weekdays, request.visit_date)
    queue = Queue(
        facility_id=service.facility_id, service_code=service.code, visit_date=request.visit_date
    )
    await repository.lock_citizen(tx.session, citizen_id=citizen.subject)
    await _check_citizen_may_book(tx, citizen=citizen, queue=queue)
    await repository.lock_queue(tx.session, queue=queue)
    rules.check_room(
        active_bookings=await repository.count_active(tx.session, queue=queue),
        daily_quota=service.daily_quota,
        visit_date=request.visit_date,
    )
    booking = Booking(
        citizen_id=citizen.subject,
        booked_by=citizen.acted_by,
        service=service,
        facility_id=service.facility_id,
        service_code=service.code,
        visit_date=request.visit_date,
        queue_number=await repository.take_next_number(tx.session, queue=queue),
        status=BookingStatus.BOOKED,
        booked_at=tx.now,
    )
    tx.session.add(booking)
    await tx.session.flush()
    await _announce(tx, booking=booking, service=service, assisted_by=citizen.acting_officer)
    return booking


async def _announce(
    tx: HealthTransaction, *, booking: Booking, service: ClinicService, assisted_by: str | None
) -> None:
    """`AppointmentBooked`, and its ``.v2`` beside it (the day's places, the district)."""
    facts: dict[str, Any] = {
        "booking_id": booking.id,
        "citizen_id": booking.citizen_id,
        "facility_id": booking.facility_id,
        "facility_code": service.facility.code,
        "service_code": booking.service_code,
        "visit_date": booking.visit_date,
        "queue_number": booking.queue_number,
        "queue_label": rules.queue_label(booking.service_code, booking.queue_number),
        "assisted_by": assisted_by,
        "booked_at": booking.booked_at,
    }
    for event in (
        AppointmentBooked(**facts),
        AppointmentBookedV2(
            **facts,
            kecamatan_code=dotted_kecamatan(service.facility.district_code),
            daily_quota=service.daily_quota,
        ),
    ):
        await tx.outbox.add(tx.session, event, subject=str(booking.id))


async def _check_citizen_may_book(
    tx: HealthTransaction, *, citizen: Principal, queue: Queue
) -> None:
    """The citizen holds no active booking at the queue's facility that day, and fewer than
    the most one may hold; call it holding the citizen's lock.

    A booking of the same queue is `AlreadyBooked` (a retried request finds its booking by
    ``booking_id``), of another service there that day `AlreadyBookedAtFacility`.
    """
    held = await repository.active_of(tx.session, queue=queue, citizen_id=citizen.subject)
    if held is not None:
        raise AlreadyBooked(
            _(
                "Your booking {queue_label} for {visit_date} still stands.",
                queue_label=rules.queue_label(held.service_code, held.queue_number),
                visit_date=LongDate(held.visit_date),
            ),
            booking_id=str(held.id),
        )
    held = await repository.active_of_citizen_at(
        tx.session,
        citizen_id=citizen.subject,
        facility_id=queue.facility_id,
        visit_date=queue.visit_date,
    )
    if held is not None:
        raise AlreadyBookedAtFacility(
            _(
                "Your booking {queue_label} ({service}) at {facility} for {visit_date} still "
                "stands; one citizen may hold one booking per facility and day. Cancel it to "
                "book another service there that day.",
                queue_label=rules.queue_label(held.service_code, held.queue_number),
                service=held.service.name,
                facility=held.service.facility.name,
                visit_date=LongDate(held.visit_date),
            ),
            booking_id=str(held.id),
        )
    rules.check_booking_limit(
        active_bookings=await repository.count_active_of_citizen(
            tx.session, citizen_id=citizen.subject, today=tx.today
        ),
        limit=tx.max_active_bookings,
    )


async def cancel(tx: HealthTransaction, *, booking: Booking, by: Principal) -> None:
    """Give the place back before the visit day; the number stays with this booking."""
    if booking.status is not BookingStatus.BOOKED:
        raise BookingNotActive(_INACTIVE.get(booking.status), current_status=booking.status.value)
    rules.check_cancellable(booking.visit_date, today=tx.today)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = tx.now
    booking.cancelled_by = by.acted_by
    await tx.outbox.add(
        tx.session,
        AppointmentCancelled(
            booking_id=booking.id,
            facility_id=booking.facility_id,
            facility_code=booking.service.facility.code,
            service_code=booking.service_code,
            visit_date=booking.visit_date,
            queue_number=booking.queue_number,
            cancelled_at=tx.now,
        ),
        subject=str(booking.id),
    )


async def list_of_citizen(
    tx: HealthTransaction,
    *,
    citizen: Principal,
    from_date: date | None,
    statuses: Sequence[BookingStatus] | None,
    after: Key | None,
    limit: int,
) -> Sequence[Booking]:
    """The citizen's bookings visiting on or after ``from_date``, by default their active
    ones from today on: what is still ahead of them."""
    return await repository.list_of_citizen(
        tx.session,
        citizen_id=citizen.subject,
        from_date=from_date or tx.today,
        statuses=statuses or [BookingStatus.BOOKED],
        after=after,
        limit=limit,
    )


async def day_queue(
    tx: HealthTransaction,
    *,
    facility: Facility,
    visit_date: date | None,
    service_code: str | None,
    statuses: Sequence[BookingStatus] | None,
) -> Sequence[Booking]:
    """A facility's day (today unless said) in queue order, of one service or of all; every
    status unless said, so the gaps cancellations leave are explained."""
    if service_code is not None and not await facilities.get_service(
        tx.session, facility_id=facility.id, code=service_code
    ):
        raise UnknownClinicService(
            _(
                "{facility} offers no service with code {code}.",
                facility=facility.name,
                code=service_code,
            ),
            errors=[{"field": "query.service", "message": _NOT_OFFERED}],
        )
    return await repository.day_at_facility(
        tx.session,
        facility_id=facility.id,
        visit_date=visit_date or tx.today,
        service_code=service_code,
        statuses=statuses or list(BookingStatus),
    )
