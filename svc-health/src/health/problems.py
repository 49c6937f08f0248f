"""The health service's own problems (RFC 9457), each with a stable code."""

from health.messages import _
from kota_shared.problems import Conflict, ValidationFailed


class UnknownFacility(ValidationFailed):
    code = "unknown_facility"
    title = _("There is no health facility with this id.")


class UnknownClinicService(ValidationFailed):
    code = "unknown_clinic_service"
    title = _("The facility does not offer this service.")


class VisitDateInPast(ValidationFailed):
    code = "visit_date_in_past"
    title = _("The visit date has already passed.")


class VisitDateBeyondHorizon(ValidationFailed):
    code = "visit_date_beyond_horizon"
    title = _("Visits cannot be booked that far ahead yet.")


class BookingNotOpenYet(Conflict):
    """The visit day is within the horizon but opens for booking later today.

    A day opens at ``HEALTH_BOOKING_OPENS_AT`` (city time), ``HEALTH_BOOKING_HORIZON_DAYS``
    before it, one day at a time, so nobody can take the whole window the moment it is
    published. A 409, not a 422: nothing in the request is wrong, and the very same request
    succeeds from ``opens_at`` on (as a full day's may after a cancellation); a 422 here
    tells the client to change what it sent (a past date, a closed weekday).
    """

    code = "booking_not_open_yet"
    title = _("Bookings for that day are not open yet.")


class ServiceClosed(ValidationFailed):
    code = "service_closed"
    title = _("The service is closed on that day of the week.")


class FullyBooked(Conflict):
    code = "fully_booked"
    title = _("Every place in the queue for that day has been taken.")


class AlreadyBooked(Conflict):
    code = "already_booked"
    title = _("You already hold a booking for this service on that day.")


class AlreadyBookedAtFacility(Conflict):
    """One active booking per citizen, facility and day, whichever of its services: a place
    in each of a puskesmas' polyclinics on one morning is a place taken from someone else.
    (A second booking of the same service is `AlreadyBooked`.)"""

    code = "already_booked_at_facility"
    title = _("You already hold a booking at this facility on that day.")


class TooManyActiveBookings(Conflict):
    """A citizen may hold at most ``HEALTH_MAX_ACTIVE_BOOKINGS`` active bookings (booked,
    visiting today or later) at once; cancelling one, or its day passing, allows another."""

    code = "too_many_active_bookings"
    title = _("You already hold as many active bookings as one citizen may.")


class BookingNotActive(Conflict):
    code = "booking_not_active"
    title = _("The booking is no longer active.")


class CancellationTooLate(Conflict):
    code = "cancellation_too_late"
    title = _("A booking can only be cancelled before the day of the visit.")
