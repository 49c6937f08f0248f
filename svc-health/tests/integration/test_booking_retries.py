"""A booking sent again with the same Idempotency-Key returns its first answer."""

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from health.config import HealthSettings
from health.db import IDEMPOTENCY_KEYS
from health.main import create_app
from kota_dev.pytest_plugin import running_app
from kota_shared.idempotency import KEY_LIFETIME
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.waiting import eventually

BOOKINGS = "/v1/health/bookings"
Clinic = Any  # the conftest driver (conftest modules are not importable by name here)


async def test_a_retried_booking_with_its_key_returns_the_first_answer(clinic: Clinic) -> None:
    service_code = await clinic.open_service()
    citizen = clinic.citizen()
    keyed = {**citizen, "Idempotency-Key": str(uuid.uuid4())}

    first = await clinic.book(keyed, service_code)
    again = await clinic.book(keyed, service_code)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    listed = await clinic.client.get(BOOKINGS, headers=citizen)
    assert [b["id"] for b in listed.json()] == [first.json()["id"]]


async def test_concurrent_retries_with_one_key_book_once(clinic: Clinic) -> None:
    service_code = await clinic.open_service()
    citizen = clinic.citizen()
    keyed = {**citizen, "Idempotency-Key": str(uuid.uuid4())}

    answers = await asyncio.gather(*(clinic.book(keyed, service_code) for _ in range(4)))

    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["queue_number"] for a in answers}) == 1
    listed = await clinic.client.get(BOOKINGS, headers=citizen)
    assert len(listed.json()) == 1


async def test_the_same_key_for_another_booking_is_refused(clinic: Clinic) -> None:
    service_code = await clinic.open_service()
    keyed = {**clinic.citizen(), "Idempotency-Key": str(uuid.uuid4())}
    await clinic.booked(keyed, service_code)

    other_day = await clinic.book(
        keyed, service_code, visit_date=clinic.tomorrow + timedelta(days=1)
    )

    assert other_day.status_code == 422
    assert other_day.json()["code"] == "idempotency_key_reused"


async def test_a_refused_booking_leaves_its_key_free_for_a_corrected_one(clinic: Clinic) -> None:
    service_code = await clinic.open_service(weekdays=[1])  # Mondays only; today is a Monday
    keyed = {**clinic.citizen(), "Idempotency-Key": str(uuid.uuid4())}

    refused = await clinic.book(keyed, service_code, visit_date=clinic.tomorrow)  # a Tuesday
    assert refused.status_code == 422
    assert refused.json()["code"] == "service_closed"

    # The refusal stored nothing under the key: a corrected request with it goes through.
    corrected = await clinic.book(keyed, service_code, visit_date=clinic.today)
    assert corrected.status_code == 201, corrected.text


async def test_expired_keys_are_purged_by_the_apps_clock(
    health_database: str, service_env: dict[str, Any], clinic: Clinic
) -> None:
    """The shared app purges a service's expired keys (at start, then hourly)."""
    service_code = await clinic.open_service()
    key = str(uuid.uuid4())
    await clinic.booked({**clinic.citizen(), "Idempotency-Key": key}, service_code)
    clock = MovableClock()
    clock.fixed = clinic.clock() + KEY_LIFETIME + timedelta(minutes=1)

    async def stored() -> int:
        async with clinic.app.state.sessionmaker() as session:
            found = await session.execute(
                select(IDEMPOTENCY_KEYS.c.key).where(IDEMPOTENCY_KEYS.c.key == key)
            )
            return len(found.all())

    assert await stored() == 1
    later = create_app(HealthSettings(database_url=health_database, **service_env), clock=clock)
    async with running_app(later):
        await eventually(stored, until=lambda count: count == 0, within=10, what="the purge")
