"""Fixtures for the education service on real PostgreSQL and Kafka, and a driver that registers
children the way parents, kiosk officers and school officers use the API.

The app runs an admission period set in its settings (registration 2 to 20 June 2027, ages
on 1 July 2027) and a clock the tests move; by default it is 10 June 2027, 10:00 in Jakarta.
"""

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

import httpx
import pytest
from cloudevents.v1.http import CloudEvent
from fastapi import FastAPI

from education.config import EducationSettings
from education.main import create_app
from education.registrations.models import Registration, Status
from education.seed import seed_demo
from kota_contracts.education import TOPIC, Pathway
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, migrated_database, running_app
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.kafka import read_events

ADMISSION_YEAR = 2027
OPENS_ON, CLOSES_ON = date(2027, 6, 2), date(2027, 6, 20)
AGE_REFERENCE_DATE = date(2027, 7, 1)
DURING_REGISTRATION = datetime(2027, 6, 10, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta

SD, SMP, SMA = "20603041", "20603115", "20606856"
"""Demo schools (seeded): SD Negeri Sukasari 1, SMP and SMA Negeri 1 Tangerang."""
SMP_LOCATION = (-6.178306, 106.631467)


@pytest.fixture(scope="session")
async def education_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "education:migrations", "education")


@pytest.fixture(scope="session")
def education_clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(autouse=True)
def during_registration(education_clock: MovableClock) -> Iterator[MovableClock]:
    """Every test starts (and leaves the clock) in the middle of the registration period."""
    education_clock.fixed = DURING_REGISTRATION
    yield education_clock
    education_clock.fixed = DURING_REGISTRATION


@pytest.fixture(scope="session")
def education_app(
    education_database: str, service_env: dict[str, Any], education_clock: MovableClock
) -> FastAPI:
    settings = EducationSettings(
        database_url=education_database,
        admission_year=ADMISSION_YEAR,
        registration_opens_on=OPENS_ON,
        registration_closes_on=CLOSES_ON,
        age_reference_date=AGE_REFERENCE_DATE,
        **service_env,
    )
    return create_app(settings, clock=education_clock)


@pytest.fixture(scope="session")
async def education_client(education_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(education_app) as client:
        yield client


@pytest.fixture(scope="session")
async def education_seeded(education_app: FastAPI, education_client: httpx.AsyncClient) -> int:
    """The demo schools, added once through the running app's own sessionmaker."""
    async with education_app.state.sessionmaker() as session, session.begin():
        return await seed_demo(session)


def new_nisn() -> str:
    return f"{uuid.uuid4().int % 10**10:010d}"


def registration_body(**overrides: Any) -> dict[str, Any]:
    """A registration every rule accepts: a 13-year-old, 111 m north of the SMP."""
    return {
        "student_nisn": new_nisn(),
        "student_name": "Siti Rahmawati",
        "birth_date": "2014-05-20",
        "family_card_number": "3671012309150003",
        "family_card_issued_on": "2023-05-02",
        "home_latitude": SMP_LOCATION[0] + 0.001,
        "home_longitude": SMP_LOCATION[1],
        "school_npsn": SMP,
        "pathway": "domisili",
        **overrides,
    }


URL = "/v1/education/registrations"


@dataclass
class Admissions:
    """Parents, kiosk officers and school officers acting on the education API.

    Test modules cannot import this conftest by name (another is on the path first), so
    what they need of it is here.
    """

    url: ClassVar[str] = URL
    year: ClassVar[int] = ADMISSION_YEAR
    sd: ClassVar[str] = SD
    smp: ClassVar[str] = SMP
    sma: ClassVar[str] = SMA
    smp_location: ClassVar[tuple[float, float]] = SMP_LOCATION

    client: httpx.AsyncClient
    auth_headers: AuthHeaders
    kafka_bootstrap_servers: str

    def parent(self, subject: str | None = None) -> dict[str, str]:
        return self.auth_headers(subject or f"citizen-{uuid.uuid4().hex[:8]}", roles=["citizen"])

    def kiosk(self, parent: str, officer: str) -> dict[str, str]:
        """A token the gateway gives an officer serving a parent at a kiosk."""
        return self.auth_headers(parent, roles=["citizen"], act={"sub": officer})

    def school_officer(self) -> dict[str, str]:
        return self.auth_headers(f"officer-{uuid.uuid4().hex[:8]}", roles=["school_officer"])

    @staticmethod
    def body(**overrides: Any) -> dict[str, Any]:
        return registration_body(**overrides)

    @staticmethod
    def row(*, student_nisn: str, parent_id: str, admission_year: int) -> Registration:
        """A registration as stored, for what the API cannot make (another year, a race)."""
        return Registration(
            admission_year=admission_year,
            status=Status.SUBMITTED,
            parent_id=parent_id,
            registered_by=parent_id,
            school_npsn=SMP,
            pathway=Pathway.DOMISILI,
            student_nisn=student_nisn,
            student_name="Siti Rahmawati",
            birth_date=date(2014, 5, 20),
            family_card_number="3671012309150003",
            family_card_issued_on=date(2023, 5, 2),
            home_latitude=Decimal(str(SMP_LOCATION[0])),
            home_longitude=Decimal(str(SMP_LOCATION[1])),
            distance_m=0,
            registered_at=DURING_REGISTRATION,
        )

    async def register(self, who: dict[str, str], **overrides: Any) -> httpx.Response:
        return await self.client.post(URL, json=registration_body(**overrides), headers=who)

    async def registered(self, who: dict[str, str], **overrides: Any) -> dict[str, Any]:
        response = await self.register(who, **overrides)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def withdraw(self, who: dict[str, str], registration_id: str) -> httpx.Response:
        return await self.client.post(f"{URL}/{registration_id}/withdraw", headers=who)

    async def ranking(self, who: dict[str, str], npsn: str, pathway: str | None) -> httpx.Response:
        params = {"pathway": pathway} if pathway else {}
        return await self.client.get(
            f"/v1/education/schools/{npsn}/registrations", params=params, headers=who
        )

    async def events(self, registration_id: str, *types: str) -> list[CloudEvent]:
        """The registration's events as they are on Kafka, once every one of ``types`` came."""
        return await read_events(
            self.kafka_bootstrap_servers, TOPIC, key=registration_id, until_types=types
        )


@pytest.fixture
def admissions(
    education_client: httpx.AsyncClient,
    education_seeded: int,
    auth_headers: AuthHeaders,
    infrastructure: Infrastructure,
) -> Admissions:
    return Admissions(education_client, auth_headers, infrastructure.kafka_bootstrap_servers)
