"""Booking and cancelling a place in a queue; the request boundary commits, once."""

from kota_contracts.health import AppointmentBooked, AppointmentCancelled

from health.bookings import numbering, repository, rules
from health.bookings.desk import BookingDesk
from health.bookings.models import Booking, BookingStatus
from health.bookings.numbering import Queue
from health.bookings.schemas import BookingRequest
from health.facilities import repository as facilities
from health.facilities.models import ClinicService
from health.problems import AlreadyBooked, BookingNotActive, UnknownClinicService, UnknownFacility
from kota_shared.auth import Principal


async def _offered(desk: BookingDesk, request: BookingRequest) -> ClinicService:
    service = await facilities.get_service(
        session=desk.session, facility_id=request.facility_id, code=request.service_code
    )
    if service is not None:
        return service
    if (
        await facilities.get_facility(session=desk.session, facility_id=request.facility_id)
        is not None
    ):
        raise UnknownClinicService(
            f"The facility offers no service with code {request.service_code}; see "
            f"/v1/health/facilities/{request.facility_id}/services.",
            errors=[{"field": "body.service_code", "message": "not offered by this facility"}],
        )
    raise UnknownFacility(
        errors=[{"field": "body.facility_id", "message": "no such health facility"}]
    )


async def book(desk: BookingDesk, citizen: Principal, request: BookingRequest) -> Booking:
    """Take the next number in the day's queue, if the day is open and has room.

    The queue's counter is locked before the citizen's bookings and the quota are looked
    at, so two citizens racing for the last place are served one after the other: one gets
    it, the other learns the day is full.
    """
    service = await _offered(desk, request)
    rules.check_visit_date(request.visit_date, today=desk.today, horizon_days=desk.horizon_days)
    rules.check_open(service.open_weekdays, request.visit_date)
    queue = Queue(
        facility_id=service.facility_id, service_code=service.code, visit_date=request.visit_date
    )
    await numbering.lock(desk.session, queue)
    held = await repository.active_of(session=desk.session, queue=queue, citizen_id=citizen.subject)
    if held is not None:
        raise AlreadyBooked(
            f"Your booking {rules.queue_label(held.service_code, held.queue_number)} for "
            f"{held.visit_date} stands.",
            booking_id=str(held.id),
        )
    rules.check_room(
        active_bookings=await repository.count_active(session=desk.session, queue=queue),
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
        queue_number=await numbering.take_next(desk.session, queue),
        status=BookingStatus.BOOKED,
        booked_at=desk.now,
    )
    desk.session.add(booking)
    await desk.session.flush()
    await desk.outbox.add(
        desk.session,
        AppointmentBooked(
            booking_id=booking.id,
            citizen_id=booking.citizen_id,
            facility_id=booking.facility_id,
            facility_code=service.facility.code,
            service_code=booking.service_code,
            visit_date=booking.visit_date,
            queue_number=booking.queue_number,
            queue_label=rules.queue_label(booking.service_code, booking.queue_number),
            assisted_by=citizen.acting_officer,
            booked_at=booking.booked_at,
        ),
        subject=str(booking.id),
    )
    return booking


async def cancel(desk: BookingDesk, citizen: Principal, booking: Booking) -> None:
    """Give the place back before the visit day; the number stays with this booking."""
    if booking.status is not BookingStatus.BOOKED:
        raise BookingNotActive(
            f"The booking is {booking.status.value}.", current_status=booking.status.value
        )
    rules.check_cancellable(booking.visit_date, today=desk.today)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = desk.now
    booking.cancelled_by = citizen.acted_by
    await desk.outbox.add(
        desk.session,
        AppointmentCancelled(
            booking_id=booking.id,
            facility_id=booking.facility_id,
            facility_code=booking.service.facility.code,
            service_code=booking.service_code,
            visit_date=booking.visit_date,
            queue_number=booking.queue_number,
            cancelled_at=desk.now,
        ),
        subject=str(booking.id),
    )
