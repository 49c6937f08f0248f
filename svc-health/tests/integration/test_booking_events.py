"""Booking and cancelling are announced on ``health.events`` through the outbox: valid
CloudEvents keyed by the booking, whose payloads match their published JSON Schemas."""

import json
from typing import Any

from sqlalchemy import select

from health.db import EVENT_TABLES
from kota_contracts.health import AppointmentBooked, AppointmentBookedV2, AppointmentCancelled
from kota_shared.testing.contracts import assert_matches_published_schema

Clinic = Any  # the conftest driver


async def test_a_kiosk_booking_and_its_cancellation_are_published(clinic: Clinic) -> None:
    service = await clinic.open_service()
    kiosk = clinic.at_kiosk("citizen-events-1", "officer-events-1")
    booking = await clinic.booked(kiosk, service)
    assert (await clinic.cancel(kiosk, booking["id"])).status_code == 200

    events = await clinic.events(
        booking["id"],
        AppointmentBooked.event_type,
        AppointmentBookedV2.event_type,
        AppointmentCancelled.event_type,
    )

    assert [e["type"] for e in events] == [
        "health.appointment.booked.v1",
        "health.appointment.booked.v2",
        "health.appointment.cancelled.v1",
    ]
    for event in events:
        assert event["source"] == "/kota-live/health"
        assert event["subject"] == booking["id"]
        assert event["dataschema"].endswith(f"/{event['type']}.json")
        assert_matches_published_schema(event["type"], event.data)
    booked, booked_v2, cancelled = (e.data for e in events)
    # v2 is v1 with the day's places and where the clinic is (docs/events.md).
    assert booked_v2 == booked | {"kecamatan_code": "36.71.05", "daily_quota": 30}
    assert booked == {
        "booking_id": booking["id"],
        "citizen_id": "citizen-events-1",
        "facility_id": clinic.facility_id,
        "facility_code": "P3671050101",
        "service_code": service,
        "visit_date": clinic.tomorrow.isoformat(),
        "queue_number": 1,
        "queue_label": f"{service.upper()}-001",
        "assisted_by": "officer-events-1",
        "booked_at": "2026-12-07T02:00:00Z",
    }
    assert cancelled == {
        "booking_id": booking["id"],
        "facility_id": clinic.facility_id,
        "facility_code": "P3671050101",
        "service_code": service,
        "visit_date": clinic.tomorrow.isoformat(),
        "queue_number": 1,
        "cancelled_at": "2026-12-07T02:00:00Z",
    }


async def test_a_refused_booking_leaves_no_event_behind(clinic: Clinic) -> None:
    service = await clinic.open_service(quota=1)
    await clinic.booked(clinic.citizen(), service)
    refused = await clinic.book(clinic.citizen(), service)
    await clinic.booked(clinic.citizen(), service, visit_date=clinic.today)

    async with clinic.app.state.sessionmaker() as session:
        staged = (
            await session.scalars(
                select(EVENT_TABLES.outbox.c.value).where(
                    EVENT_TABLES.outbox.c.event_type == AppointmentBooked.event_type
                )
            )
        ).all()

    assert refused.status_code == 409
    # The outbox row shares the booking's transaction: the refusal rolled it back too.
    days = [json.loads(v)["data"]["visit_date"] for v in staged]
    services = [json.loads(v)["data"]["service_code"] for v in staged]
    assert sorted(d for d, s in zip(days, services, strict=True) if s == service) == [
        clinic.today.isoformat(),
        clinic.tomorrow.isoformat(),
    ]
