"""Bookings racing for the same queue: the counter row's lock serialises them, so numbers
are consecutive and unique, the quota holds, and a citizen gets one place however often
they tap "book"."""

import asyncio
import uuid
from collections import Counter
from typing import Any

from sqlalchemy import select

from health.bookings.models import QueueCounter

Clinic = Any  # the conftest driver


async def _counter(clinic: Clinic, service: str) -> int | None:
    async with clinic.app.state.sessionmaker() as session:
        last: int | None = await session.scalar(
            select(QueueCounter.last_number).where(
                QueueCounter.facility_id == uuid.UUID(clinic.facility_id),
                QueueCounter.service_code == service,
                QueueCounter.visit_date == clinic.tomorrow,
            )
        )
        return last


async def test_twelve_citizens_racing_for_five_places(clinic: Clinic) -> None:
    service = await clinic.open_service(quota=5)

    answers = await asyncio.gather(*(clinic.book(clinic.citizen(), service) for _ in range(12)))

    statuses = Counter(a.status_code for a in answers)
    assert statuses == {201: 5, 409: 7}, [a.text for a in answers]
    numbers = sorted(a.json()["queue_number"] for a in answers if a.status_code == 201)
    assert numbers == [1, 2, 3, 4, 5]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"fully_booked"}
    # Refused bookings rolled their numbers back: the next number is still 6.
    assert await _counter(clinic, service) == 5


async def test_thirty_concurrent_bookings_get_thirty_consecutive_numbers(clinic: Clinic) -> None:
    service = await clinic.open_service(quota=30)

    answers = await asyncio.gather(*(clinic.book(clinic.citizen(), service) for _ in range(30)))

    assert [a.status_code for a in answers] == [201] * 30, [a.text for a in answers]
    assert sorted(a.json()["queue_number"] for a in answers) == list(range(1, 31))
    assert len({a.json()["queue_label"] for a in answers}) == 30


async def test_one_citizen_tapping_book_five_times_at_once_gets_one_place(clinic: Clinic) -> None:
    service = await clinic.open_service()
    citizen = clinic.citizen()

    answers = await asyncio.gather(*(clinic.book(citizen, service) for _ in range(5)))

    statuses = Counter(a.status_code for a in answers)
    assert statuses == {201: 1, 409: 4}, [a.text for a in answers]
    (booked,) = [a.json() for a in answers if a.status_code == 201]
    assert {a.json()["booking_id"] for a in answers if a.status_code == 409} == {booked["id"]}
    listed = await clinic.client.get("/v1/health/bookings", headers=citizen)
    assert [b["id"] for b in listed.json()] == [booked["id"]]
