"""Fixtures for the health service on real PostgreSQL and Kafka, and a driver that books
the way citizens, kiosk officers and clinic officers do."""

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI

from health.config import HealthSettings
from health.facilities.models import ClinicService
from health.main import create_app
from health.seed import seed_demo
from kota_contracts.health import TOPIC
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, migrated_database, running_app
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.kafka import read_events

BOOKINGS = "/v1/health/bookings"
TODAY = date(2026, 12, 7)
"""A Monday: the city's date in every booking test."""
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
"""09:00 in Kota Tangerang (WIB, UTC+7) on `TODAY`."""
EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(scope="session")
async def health_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "health:migrations", "health")


@pytest.fixture(scope="session")
def health_clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="session")
def health_app(
    health_database: str, service_env: dict[str, Any], health_clock: MovableClock
) -> FastAPI:
    settings = HealthSettings(database_url=health_database, **service_env)
    return create_app(settings, clock=health_clock)


@pytest.fixture(scope="session")
async def health_client(health_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(health_app) as client:
        yield client


@pytest.fixture(scope="session")
async def health_seeded(health_app: FastAPI, health_client: httpx.AsyncClient) -> int:
    """The demo facilities and services, added once through the running app's sessionmaker."""
    async with health_app.state.sessionmaker() as session, session.begin():
        return await seed_demo(session)


@dataclass
class Clinic:
    """Citizens, kiosk officers and clinic officers acting on the health API, on `TODAY`."""

    today: ClassVar[date] = TODAY
    tomorrow: ClassVar[date] = TODAY + timedelta(days=1)

    client: httpx.AsyncClient
    app: FastAPI
    auth_headers: AuthHeaders
    kafka_bootstrap_servers: str
    clock: MovableClock
    facility_id: str
    """A seeded puskesmas, where each test opens services of its own."""
    other_facility_ids: tuple[str, ...] = ()
    """The other seeded puskesmas, for rules that span facilities."""

    def days_pass(self, days: int) -> date:
        """Move the app's clock ``days`` ahead of `NOW`; returns the new today."""
        self.clock.fixed = NOW + timedelta(days=days)
        return TODAY + timedelta(days=days)

    def at_city_time(self, hour: int, minute: int = 0, *, days: int = 0) -> None:
        """Set the app's clock to ``hour:minute`` in Kota Tangerang (WIB), ``days`` after
        `TODAY`."""
        local = datetime.combine(TODAY + timedelta(days=days), time(hour, minute), WIB)
        self.clock.fixed = local.astimezone(UTC)

    def citizen(self, subject: str | None = None) -> dict[str, str]:
        return self.auth_headers(subject or f"citizen-{uuid.uuid4().hex[:8]}", roles=["citizen"])

    def at_kiosk(self, citizen: str, officer: str) -> dict[str, str]:
        """A token for ``citizen`` held by ``officer`` at a kiosk (``act.sub``)."""
        return self.auth_headers(citizen, roles=["citizen"], act={"sub": officer})

    def officer(self, role: str = "clinic_officer") -> dict[str, str]:
        return self.auth_headers(f"officer-{uuid.uuid4().hex[:8]}", roles=[role])

    async def open_service(
        self, *, quota: int = 30, weekdays: list[int] = EVERY_DAY, facility_id: str | None = None
    ) -> str:
        """A new service at the facility (`facility_id` unless another is named), so the
        test's queues are its own; returns its code."""
        code = f"t{uuid.uuid4().hex[:8]}"
        async with self.app.state.sessionmaker() as session, session.begin():
            session.add(
                ClinicService(
                    facility_id=uuid.UUID(facility_id or self.facility_id),
                    code=code,
                    name=f"Poli Uji {code}",
                    daily_quota=quota,
                    open_weekdays=weekdays,
                )
            )
        return code

    async def book(
        self,
        who: dict[str, str],
        service_code: str,
        visit_date: date = TODAY + timedelta(days=1),
        *,
        facility_id: str | None = None,
    ) -> httpx.Response:
        return await self.client.post(
            BOOKINGS,
            json={
                "facility_id": facility_id or self.facility_id,
                "service_code": service_code,
                "visit_date": visit_date.isoformat(),
            },
            headers=who,
        )

    async def booked(self, who: dict[str, str], service_code: str, **kwargs: Any) -> dict[str, Any]:
        response = await self.book(who, service_code, **kwargs)
        assert response.status_code == 201, response.text
        booking: dict[str, Any] = response.json()
        return booking

    async def cancel(self, who: dict[str, str], booking_id: str) -> httpx.Response:
        return await self.client.post(f"{BOOKINGS}/{booking_id}/cancel", headers=who)

    async def events(self, booking_id: str, *types: str) -> list[Any]:
        """The booking's events, CloudEvents-parsed and held to their published schemas,
        once every one of ``types`` has arrived."""
        return await read_events(
            self.kafka_bootstrap_servers, TOPIC, key=booking_id, until_types=types
        )


@pytest.fixture
def today(health_clock: MovableClock) -> Iterator[date]:
    """Fix the app's clock at `NOW` for the test."""
    health_clock.fixed = NOW
    yield TODAY
    health_clock.fixed = None


@pytest.fixture
async def clinic(
    health_client: httpx.AsyncClient,
    health_app: FastAPI,
    health_seeded: int,
    auth_headers: AuthHeaders,
    infrastructure: Infrastructure,
    health_clock: MovableClock,
    today: date,
) -> Clinic:
    facilities = (await health_client.get("/v1/health/facilities")).json()
    cipondoh = next(f for f in facilities if f["code"] == "P3671050101")
    return Clinic(
        health_client,
        health_app,
        auth_headers,
        infrastructure.kafka_bootstrap_servers,
        health_clock,
        cipondoh["id"],
        tuple(f["id"] for f in facilities if f["id"] != cipondoh["id"]),
    )
