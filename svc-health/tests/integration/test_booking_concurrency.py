"""Bookings racing: the queue's counter row serialises a queue's bookings, so numbers are
consecutive and unique and the quota holds; the citizen's row serialises a citizen's, so they
get one place per queue and per facility and day, and no more than their limit in all,
however often and wherever they tap "book"."""

import asyncio
import uuid
from collections import Counter
from datetime import timedelta
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


# The citizen's limits hold under the same races: their bookings lock the citizen's row first,
# so bookings for different queues (which lock different counters) still wait for each other.


async def _active_in(clinic: Clinic, service: str, facility_id: str) -> list[dict[str, Any]]:
    """The service's active bookings tomorrow, as the desk sees them."""
    response = await clinic.client.get(
        f"/v1/health/facilities/{facility_id}/queue",
        params={"date": clinic.tomorrow.isoformat(), "service": service, "status": "booked"},
        headers=clinic.officer(),
    )
    assert response.status_code == 200, response.text
    booked: list[dict[str, Any]] = response.json()
    return booked


async def test_one_citizen_firing_ten_bookings_at_once_ends_with_three(clinic: Clinic) -> None:
    facilities = [clinic.facility_id, *clinic.other_facility_ids]
    services = {f: await clinic.open_service(facility_id=f) for f in facilities}
    citizen = clinic.citizen()
    wanted = [  # ten different queues: different days, spread over three facilities
        (facilities[n % 3], clinic.today + timedelta(days=n + 1)) for n in range(10)
    ]

    answers = await asyncio.gather(
        *(clinic.book(citizen, services[f], visit_date=d, facility_id=f) for f, d in wanted)
    )

    statuses = Counter(a.status_code for a in answers)
    assert statuses == {201: 3, 409: 7}, [a.text for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {
        "too_many_active_bookings"
    }
    listed = await clinic.client.get("/v1/health/bookings", headers=citizen)
    assert sorted(b["id"] for b in listed.json()) == sorted(
        a.json()["id"] for a in answers if a.status_code == 201
    )


async def test_one_citizen_tapping_every_service_of_a_facility_gets_one(clinic: Clinic) -> None:
    services = [await clinic.open_service() for _ in range(4)]
    citizen = clinic.citizen()

    answers = await asyncio.gather(*(clinic.book(citizen, s) for s in services * 2))

    statuses = Counter(a.status_code for a in answers)
    assert statuses == {201: 1, 409: 7}, [a.text for a in answers]
    (booked,) = [a.json() for a in answers if a.status_code == 201]
    refusals = [a.json() for a in answers if a.status_code == 409]
    assert {r["code"] for r in refusals} <= {"already_booked", "already_booked_at_facility"}
    assert {r["booking_id"] for r in refusals} == {booked["id"]}


async def test_sixteen_citizens_racing_for_a_fifteen_place_day(clinic: Clinic) -> None:
    service = await clinic.open_service(quota=15)
    citizens = [clinic.citizen() for _ in range(16)]

    # Each taps "book" twice at once.
    answers = await asyncio.gather(*(clinic.book(c, service) for c in citizens * 2))

    statuses = Counter(a.status_code for a in answers)
    assert statuses == {201: 15, 409: 17}, [a.text for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 409} <= {
        "fully_booked",
        "already_booked",
    }
    booked = await _active_in(clinic, service, clinic.facility_id)
    assert sorted(b["queue_number"] for b in booked) == list(range(1, 16))
    holders = Counter(b["citizen_id"] for b in booked)
    assert len(holders) == 15
    assert set(holders.values()) == {1}
    assert await _counter(clinic, service) == 15


async def test_sixteen_citizens_racing_for_two_polyclinics_hold_one_each(clinic: Clinic) -> None:
    general, dental = await clinic.open_service(quota=15), await clinic.open_service(quota=15)
    citizens = [clinic.citizen() for _ in range(16)]

    # Each tries for both polyclinics on the same day, and the first one twice, all at once.
    answers = await asyncio.gather(
        *(clinic.book(c, s) for c in citizens for s in (general, dental, general))
    )

    assert Counter(a.status_code for a in answers) == {201: 16, 409: 32}, [a.text for a in answers]
    in_general = await _active_in(clinic, general, clinic.facility_id)
    in_dental = await _active_in(clinic, dental, clinic.facility_id)
    assert len(in_general) <= 15
    assert len(in_dental) <= 15
    for queue in (in_general, in_dental):
        assert sorted(b["queue_number"] for b in queue) == list(range(1, len(queue) + 1))
    holders = Counter(b["citizen_id"] for b in in_general + in_dental)
    assert len(holders) == 16  # 30 places for 16 citizens: each holds exactly one
    assert set(holders.values()) == {1}
