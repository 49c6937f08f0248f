"""Fixtures for the education service on real PostgreSQL and Kafka, and a driver that registers
children the way parents, kiosk officers and school officers use the API.

The app runs an admission period set in its settings (registration 2 to 20 June 2027, ages
on 1 July 2027) and a clock the tests move; by default it is 10 June 2027, 10:00 in Jakarta.

A parent's family card comes from the gateway's ``GET /v1/me/family-card``; here a stand-in
for that one endpoint (`FamilyCardDesk`) answers it for the token's subject, with the cards
the driver gives it, over HTTP through the service's own adapter. The real gateway, reading
the civil registry simulator, is exercised end to end in ``tests/e2e``.
"""

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

import httpx
import jwt
import pytest
from cloudevents.v1.http import CloudEvent
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from education.config import EducationSettings
from education.families.source import GatewayFamilyCards
from education.main import create_app
from education.registrations.models import Registration, Status
from education.seed import seed_demo
from kota_contracts.education import TOPIC, Pathway
from kota_contracts.family_cards import EXAMPLE, PATH
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


@dataclass
class FamilyCardDesk:
    """The gateway's family-card endpoint as education sees it: the caller's card, found by
    the bearer token's subject (the gateway's own tests prove whose card it gives)."""

    cards: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: int = 200
    """Anything but 200 is answered for every card (503: the registry is down)."""
    calls: list[str] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get(PATH)
        async def family_card(request: Request) -> JSONResponse:
            token = request.headers["authorization"].removeprefix("Bearer ")
            subject = jwt.decode(token, options={"verify_signature": False})["sub"]
            self.calls.append(subject)
            card = self.cards.get(subject)
            if self.status != 200 or card is None:
                status = self.status if self.status != 200 else 404
                return JSONResponse({"code": "problem"}, status_code=status)
            return JSONResponse(card)

        return app


@pytest.fixture(scope="session")
def family_card_desk() -> FamilyCardDesk:
    return FamilyCardDesk()


@pytest.fixture(scope="session")
async def family_card_client(family_card_desk: FamilyCardDesk) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=family_card_desk.app())
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client


@pytest.fixture(scope="session")
def education_app(
    education_database: str,
    service_env: dict[str, Any],
    education_clock: MovableClock,
    family_card_client: httpx.AsyncClient,
) -> FastAPI:
    settings = EducationSettings(
        database_url=education_database,
        admission_year=ADMISSION_YEAR,
        registration_opens_on=OPENS_ON,
        registration_closes_on=CLOSES_ON,
        age_reference_date=AGE_REFERENCE_DATE,
        **service_env,
    )
    family_cards = GatewayFamilyCards(
        url=f"http://gateway{PATH}", client=family_card_client, timeout_seconds=5
    )
    return create_app(settings, clock=education_clock, family_cards=family_cards)


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


def new_number() -> str:
    """16 digits no other test uses: a NIK or a family card number."""
    return f"3671{uuid.uuid4().int % 10**12:012d}"


CARD_FACTS = (
    "student_name",
    "birth_date",
    "family_card_number",
    "family_card_issued_on",
    "home_latitude",
    "home_longitude",
)
"""What the family card says, not the request: the driver puts these on the parent's card."""


def registration_body(**overrides: Any) -> dict[str, Any]:
    """A registration every rule accepts, for the child `family_card` puts on the card."""
    return {
        "student_nik": new_number(),
        "student_nisn": new_nisn(),
        "school_npsn": SMP,
        "pathway": "domisili",
        **{k: v for k, v in overrides.items() if k not in CARD_FACTS},
    }


def family_card(child_nik: str, **facts: Any) -> dict[str, Any]:
    """A card with a parent and the child: a 13-year-old, 111 m north of the SMP, on a card
    issued in 2023 (``facts`` as in `CARD_FACTS` change any of it)."""
    address = {
        **EXAMPLE["address"],
        "latitude": facts.get("home_latitude", SMP_LOCATION[0] + 0.001),
        "longitude": facts.get("home_longitude", SMP_LOCATION[1]),
    }
    return {
        "number": facts.get("family_card_number", new_number()),
        "issued_on": facts.get("family_card_issued_on", "2023-05-02"),
        "address": address,
        "members": [
            {
                "nik": new_number(),
                "full_name": "DEDI KURNIAWAN",
                "birth_date": "1987-02-14",
                "sex": "male",
                "relationship": "KEPALA KELUARGA",
            },
            child_member(child_nik, **facts),
        ],
    }


def child_member(nik: str, **facts: Any) -> dict[str, Any]:
    return {
        "nik": nik,
        "full_name": facts.get("student_name", "Siti Rahmawati"),
        "birth_date": facts.get("birth_date", "2014-05-20"),
        "sex": "female",
        "relationship": "ANAK",
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
    family_cards: FamilyCardDesk

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
    def subject(who: dict[str, str]) -> str:
        token = who["Authorization"].removeprefix("Bearer ")
        subject: str = jwt.decode(token, options={"verify_signature": False})["sub"]
        return subject

    def put_on_card(self, who: dict[str, str], child_nik: str, **facts: Any) -> dict[str, Any]:
        """Put the child on the family card of the parent ``who`` speaks for (a new card the
        first time); ``facts`` (`CARD_FACTS`) set the card's number, date and home too."""
        subject = self.subject(who)
        card = self.family_cards.cards.get(subject)
        if card is None:
            card = self.family_cards.cards[subject] = family_card(child_nik, **facts)
            return card
        for name, key in (("family_card_number", "number"), ("family_card_issued_on", "issued_on")):
            if name in facts:
                card[key] = facts[name]
        if "home_latitude" in facts or "home_longitude" in facts:
            card["address"] = {
                **card["address"],
                "latitude": facts.get("home_latitude", card["address"]["latitude"]),
                "longitude": facts.get("home_longitude", card["address"]["longitude"]),
            }
        card["members"] = [m for m in card["members"] if m["nik"] != child_nik]
        card["members"].append(child_member(child_nik, **facts))
        return card

    def same_family(self, who: dict[str, str], other: dict[str, str]) -> None:
        """``other`` (another parent) is on ``who``'s family card: the same card for both."""
        self.family_cards.cards[self.subject(other)] = self.family_cards.cards[self.subject(who)]

    @staticmethod
    def row(
        *, student_nisn: str, parent_id: str, admission_year: int, student_nik: str | None = None
    ) -> Registration:
        """A registration as stored, for what the API cannot make (another year, a race)."""
        return Registration(
            admission_year=admission_year,
            status=Status.SUBMITTED,
            parent_id=parent_id,
            registered_by=parent_id,
            school_npsn=SMP,
            pathway=Pathway.DOMISILI,
            student_nik=student_nik or new_number(),
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

    def body_for(self, who: dict[str, str], **overrides: Any) -> dict[str, Any]:
        """A registration of a child put on the parent's card first: the body's fields from
        ``overrides``, and the child, the card and the home from its `CARD_FACTS`."""
        body = registration_body(**overrides)
        self.put_on_card(
            who, body["student_nik"], **{k: v for k, v in overrides.items() if k in CARD_FACTS}
        )
        return body

    async def register(self, who: dict[str, str], **overrides: Any) -> httpx.Response:
        body = self.body_for(who, **overrides)
        return await self.client.post(URL, json=body, headers=who)

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
    family_card_desk: FamilyCardDesk,
) -> Iterator[Admissions]:
    yield Admissions(
        education_client, auth_headers, infrastructure.kafka_bootstrap_servers, family_card_desk
    )
    family_card_desk.status = 200
    family_card_desk.cards.clear()
