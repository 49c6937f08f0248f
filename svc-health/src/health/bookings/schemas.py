"""What clients send and receive about bookings."""

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from health.bookings.models import Booking, BookingStatus
from health.bookings.rules import queue_label
from health.facilities.schemas import SERVICE_CODE_PATTERN
from kota_shared.auth import Principal


class BookingRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    # Puskesmas Cipondoh (P3671050101), Kec. Cipondoh, Kota Tangerang
                    "facility_id": "6f1c2a4e-3671-4b05-9a01-0c1d2e3f4a5b",
                    "service_code": "umum",
                    "visit_date": "2026-12-08",
                },
                {
                    # Poli KIA/KB at Puskesmas Tanah Tinggi (P3671010101), Kec. Tangerang
                    "facility_id": "0b7d9e21-3671-4a01-8c01-5e6f7a8b9c0d",
                    "service_code": "kia",
                    "visit_date": "2026-12-10",
                },
            ]
        },
    )

    facility_id: uuid.UUID = Field(description="From `GET /v1/health/facilities`.")
    service_code: str = Field(
        pattern=SERVICE_CODE_PATTERN,
        description="From `GET /v1/health/facilities/{id}/services`.",
        examples=["umum"],
    )
    visit_date: date = Field(
        description="The day of the visit (the city's calendar): today up to the booking "
        "horizon, on a day the service runs, once the day has opened for booking (at "
        "`HEALTH_BOOKING_OPENS_AT`, the horizon's days before it).",
        examples=["2026-12-08"],
    )


class BookingRead(BaseModel):
    id: uuid.UUID
    citizen_id: str
    booked_by: str = Field(description="The citizen, or the officer who booked at a kiosk.")
    facility_id: uuid.UUID
    facility_code: str
    facility_name: str = Field(examples=["Puskesmas Cipondoh"])
    service_code: str = Field(examples=["umum"])
    service_name: str = Field(examples=["Poli Umum"])
    visit_date: date
    queue_number: int = Field(description="Place in the day's queue, from 1.", examples=[7])
    queue_label: str = Field(description="As the desk calls it.", examples=["UMUM-007"])
    status: BookingStatus
    booked_at: datetime
    cancelled_at: datetime | None
    cancelled_by: str | None

    @classmethod
    def of(cls, booking: Booking, caller: Principal) -> "BookingRead":
        """Present a booking whose service (and its facility) was loaded with it to ``caller``.

        Whoever may see a booking (its citizen, a kiosk officer for them, a clinic officer)
        sees all of it; a field kept from some callers would be decided here, by ``caller``.
        """
        service = booking.service
        return cls(
            id=booking.id,
            citizen_id=booking.citizen_id,
            booked_by=booking.booked_by,
            facility_id=booking.facility_id,
            facility_code=service.facility.code,
            facility_name=service.facility.name,
            service_code=booking.service_code,
            service_name=service.name,
            visit_date=booking.visit_date,
            queue_number=booking.queue_number,
            queue_label=queue_label(booking.service_code, booking.queue_number),
            status=booking.status,
            booked_at=booking.booked_at,
            cancelled_at=booking.cancelled_at,
            cancelled_by=booking.cancelled_by,
        )
