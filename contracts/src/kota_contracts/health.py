"""Events the health service publishes about bookings on ``health.events`` (typed, versioned).

Keyed by booking id, so one booking's story arrives in order. Citizens appear by account id
only: names and NIKs stay with the gateway. Monitoring counts them per facility and service.
"""

import uuid
from datetime import date, datetime
from typing import ClassVar

from kota_shared.events.envelope import EventData

TOPIC = "health.events"


class _HealthEvent(EventData):
    topic: ClassVar[str] = TOPIC


class AppointmentBooked(_HealthEvent):
    """A citizen (or an officer at a kiosk for them) took a place in a day's queue."""

    event_type: ClassVar[str] = "health.appointment.booked.v1"

    booking_id: uuid.UUID
    citizen_id: str
    facility_id: uuid.UUID
    facility_code: str
    service_code: str
    visit_date: date
    queue_number: int
    queue_label: str
    assisted_by: str | None
    """The officer who booked it at a kiosk, if the citizen was served in person."""
    booked_at: datetime


class AppointmentCancelled(_HealthEvent):
    """The citizen gave their place back before the visit day (the number is not reused)."""

    event_type: ClassVar[str] = "health.appointment.cancelled.v1"

    booking_id: uuid.UUID
    facility_id: uuid.UUID
    facility_code: str
    service_code: str
    visit_date: date
    queue_number: int
    cancelled_at: datetime


# v2, published beside v1 (docs/events.md): monitoring's fill rates and districts need the
# day's places and where the facility is, and v1 payloads forbid new fields.
class AppointmentBookedV2(_HealthEvent):
    """A citizen (or an officer at a kiosk for them) took a place in a day's queue."""

    event_type: ClassVar[str] = "health.appointment.booked.v2"

    booking_id: uuid.UUID
    citizen_id: str
    facility_id: uuid.UUID
    facility_code: str
    kecamatan_code: str
    """Where the facility is, dotted (``36.71.01``)."""
    service_code: str
    visit_date: date
    daily_quota: int
    """The places the service offers that day, as it stood when this one was taken."""
    queue_number: int
    queue_label: str
    assisted_by: str | None
    """The officer who booked it at a kiosk, if the citizen was served in person."""
    booked_at: datetime
