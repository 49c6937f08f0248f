"""Fixtures for the permits service on real PostgreSQL and Kafka, and a driver that walks
applications through the API the way citizens and officers do."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kota_contracts.permits import TOPIC, StepTaken
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, migrated_database, running_app
from kota_shared.seeding import run_seed
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.kafka import read_events
from kota_shared.testing.waiting import eventually
from permits.config import PermitsSettings
from permits.main import create_app
from permits.seed import seed_catalogue

# The smallest files each type's sniffing recognises.
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201ab2c9c9a0000000049454e44ae426082"
)


def permits_settings(
    database_url: str, service_env: dict[str, Any], tmp: Path, **overrides: Any
) -> PermitsSettings:
    return PermitsSettings(
        database_url=database_url,
        verification_secrets=["test-verification-secret"],  # type: ignore[list-item]
        documents_location=str(tmp / "documents"),
        public_base_url="https://kota.example",
        **service_env,
        **overrides,
    )


AppFactory = Callable[..., Awaitable[tuple[FastAPI, MovableClock]]]


@pytest.fixture(scope="session")
def make_permits_app(
    infrastructure: Infrastructure,
    service_env: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> AppFactory:
    """A permits app on a database of its own, for tests that must not share one."""

    async def make(name: str, **overrides: Any) -> tuple[FastAPI, MovableClock]:
        url = await migrated_database(infrastructure, "permits:migrations", name)
        await seed(url)
        settings = permits_settings(url, service_env, tmp_path_factory.mktemp(name), **overrides)
        clock = MovableClock()
        return create_app(settings, clock=clock), clock

    return make


@pytest.fixture(scope="session")
async def permits_database(infrastructure: Infrastructure) -> str:
    url = await migrated_database(infrastructure, "permits:migrations", "permits")
    return url


@pytest.fixture(scope="session")
def documents_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("permits")


@pytest.fixture(scope="session")
def permits_clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="session")
async def permits_app(
    permits_database: str,
    service_env: dict[str, Any],
    documents_root: Path,
    permits_clock: MovableClock,
) -> FastAPI:
    settings = permits_settings(permits_database, service_env, documents_root)
    await seed(settings.database_url)
    return create_app(settings, clock=permits_clock)


async def seed(database_url: str) -> None:
    await asyncio.to_thread(run_seed, database_url, seed_catalogue)


@pytest.fixture(scope="session")
async def permits_client(permits_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(permits_app) as client:
        yield client


def free_type(code: str, **overrides: Any) -> dict[str, Any]:
    """A small permit type: one form field, one required document, no fee."""
    return {
        "code": code,
        "name_id": "Izin Uji",
        "name_en": "Test permit",
        "category": "other",
        "fields": [
            {
                "name": "purpose",
                "label_id": "Keperluan",
                "label_en": "Purpose",
                "kind": "text",
                "max_length": 200,
            }
        ],
        "documents": [
            {
                "kind": "ktp",
                "label_id": "KTP",
                "label_en": "Identity card",
                "content_types": ["application/pdf", "image/jpeg", "image/png"],
            }
        ],
        "fee_rule": {"kind": "none"},
        "stage_targets": {"verification": 1, "review": 3},
        "deadline_policy": "escalate",
        "validity_months": 12,
        **overrides,
    }


@dataclass
class Permits:
    """Citizens, officers and an admin acting on the permits API."""

    client: httpx.AsyncClient
    auth_headers: AuthHeaders
    kafka_bootstrap_servers: str

    async def events(self, application_id: str, *types: str) -> list[Any]:
        """The application's events, CloudEvents-parsed and held to their published schemas,
        once every one of ``types`` has arrived."""
        return await read_events(
            self.kafka_bootstrap_servers, TOPIC, key=application_id, until_types=types
        )

    async def events_after_steps(self, application_id: str, steps: int, *types: str) -> list[Any]:
        """Like `events`, once ``steps`` `StepTaken` events have arrived too (they all share
        one type, so waiting for the type alone would stop at the first)."""

        def steps_in(events: list[Any]) -> int:
            return sum(e["type"] == StepTaken.event_type for e in events)

        return await eventually(
            lambda: self.events(application_id, StepTaken.event_type, *types),
            until=lambda events: steps_in(events) >= steps,
            what=f"{steps} steps of application {application_id}",
        )

    def citizen(self, subject: str | None = None) -> dict[str, str]:
        return self.auth_headers(subject or f"citizen-{uuid.uuid4().hex[:8]}", roles=["citizen"])

    def officer(self, subject: str | None = None) -> dict[str, str]:
        return self.auth_headers(
            subject or f"officer-{uuid.uuid4().hex[:8]}", roles=["permits_officer"]
        )

    def admin(self) -> dict[str, str]:
        return self.auth_headers("admin-1", roles=["city_admin"])

    async def define_type(self, **overrides: Any) -> str:
        code = overrides.pop("code", None) or f"T{uuid.uuid4().hex[:10].upper()}"
        response = await self.client.put(
            f"/v1/permits/types/{code}", json=free_type(code, **overrides), headers=self.admin()
        )
        assert response.status_code == 201, response.text
        return code

    async def draft(self, citizen: dict[str, str], permit_type: str) -> dict[str, Any]:
        response = await self.client.post(
            "/v1/permits/applications",
            json={
                "permit_type": permit_type,
                "district_code": "367105",
                "holder_name": "Budi Santoso",
                "fields": {"purpose": "Warung makan"},
            },
            headers=citizen,
        )
        assert response.status_code == 201, response.text
        application: dict[str, Any] = response.json()
        return application

    async def upload(
        self,
        citizen: dict[str, str],
        application_id: str,
        *,
        kind: str = "ktp",
        filename: str = "ktp.pdf",
        content: bytes = PDF,
    ) -> httpx.Response:
        return await self.client.post(
            f"/v1/permits/applications/{application_id}/documents",
            data={"kind": kind},
            files={"file": (filename, content, "application/octet-stream")},
            headers=citizen,
        )

    async def step(
        self, who: dict[str, str], application_id: str, action: str, note: str | None = None
    ) -> httpx.Response:
        body = {"note": note} if note is not None else None
        return await self.client.post(
            f"/v1/permits/applications/{application_id}/{action}", json=body, headers=who
        )

    async def submitted(self, citizen: dict[str, str], permit_type: str) -> dict[str, Any]:
        application = await self.draft(citizen, permit_type)
        uploaded = await self.upload(citizen, application["id"])
        assert uploaded.status_code == 201, uploaded.text
        submitted = await self.step(citizen, application["id"], "submit")
        assert submitted.status_code == 200, submitted.text
        result: dict[str, Any] = submitted.json()
        return result

    async def approved(
        self, citizen: dict[str, str], officer: dict[str, str], permit_type: str
    ) -> dict[str, Any]:
        application = await self.submitted(citizen, permit_type)
        claimed = await self.step(officer, application["id"], "claim")
        assert claimed.status_code == 200, claimed.text
        approved = await self.step(officer, application["id"], "approve", "All in order.")
        assert approved.status_code == 200, approved.text
        result: dict[str, Any] = approved.json()
        return result


@pytest.fixture
def permits(
    permits_client: httpx.AsyncClient, auth_headers: AuthHeaders, infrastructure: Infrastructure
) -> Permits:
    return Permits(permits_client, auth_headers, infrastructure.kafka_bootstrap_servers)
