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


class ServiceClosed(ValidationFailed):
    code = "service_closed"
    title = _("The service is closed on that day of the week.")


class FullyBooked(Conflict):
    code = "fully_booked"
    title = _("Every place in the queue for that day has been taken.")


class AlreadyBooked(Conflict):
    code = "already_booked"
    title = _("You already hold a booking for this service on that day.")


class BookingNotActive(Conflict):
    code = "booking_not_active"
    title = _("The booking is no longer active.")


class CancellationTooLate(Conflict):
    code = "cancellation_too_late"
    title = _("A booking can only be cancelled before the day of the visit.")
