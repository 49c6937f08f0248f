"""The health service's own problems (RFC 9457), each with a stable code."""

from kota_shared.problems import Conflict, ValidationFailed


class UnknownFacility(ValidationFailed):
    code = "unknown_facility"
    title_en = "There is no health facility with this id."
    title_id = "Fasilitas kesehatan dengan id tersebut tidak ada."


class UnknownClinicService(ValidationFailed):
    code = "unknown_clinic_service"
    title_en = "The facility does not offer this service."
    title_id = "Fasilitas ini tidak melayani layanan tersebut."


class VisitDateInPast(ValidationFailed):
    code = "visit_date_in_past"
    title_en = "The visit date has already passed."
    title_id = "Tanggal kunjungan sudah lewat."


class VisitDateBeyondHorizon(ValidationFailed):
    code = "visit_date_beyond_horizon"
    title_en = "Visits cannot be booked that far ahead yet."
    title_id = "Kunjungan belum dapat dipesan sejauh itu."


class ServiceClosed(ValidationFailed):
    code = "service_closed"
    title_en = "The service is closed on that day of the week."
    title_id = "Layanan tidak buka pada hari tersebut."


class FullyBooked(Conflict):
    code = "fully_booked"
    title_en = "Every place in the queue for that day has been taken."
    title_id = "Kuota antrean untuk hari tersebut sudah penuh."


class AlreadyBooked(Conflict):
    code = "already_booked"
    title_en = "You already hold a booking for this service on that day."
    title_id = "Anda sudah memiliki pendaftaran untuk layanan ini pada hari tersebut."


class BookingNotActive(Conflict):
    code = "booking_not_active"
    title_en = "The booking is no longer active."
    title_id = "Pendaftaran ini sudah tidak aktif."


class CancellationTooLate(Conflict):
    code = "cancellation_too_late"
    title_en = "A booking can only be cancelled before the day of the visit."
    title_id = "Pendaftaran hanya dapat dibatalkan sebelum hari kunjungan."
