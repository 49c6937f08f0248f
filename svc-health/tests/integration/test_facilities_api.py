"""The facilities API on real PostgreSQL and Kafka: public list, district filter, probes."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from health.config import HealthSettings
from health.main import create_app
from health.models import Base
from health.seed import DEMO_FACILITIES, seed_demo
from kota_shared.testing.plugin import Infrastructure, migrated_database, running_app
from kota_shared.testing.schema import schema_differences

URL = "/v1/health/facilities"


@pytest.fixture(scope="session")
async def health_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "health:migrations", "health")


@pytest.fixture(scope="session")
def health_app(health_database: str, service_env: dict[str, Any]) -> FastAPI:
    return create_app(HealthSettings(database_url=health_database, **service_env))


@pytest.fixture(scope="session")
async def health_client(health_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(health_app) as client:
        yield client


@pytest.fixture(scope="session")
async def health_seeded(health_app: FastAPI, health_client: httpx.AsyncClient) -> int:
    """The demo facilities, added once through the running app's own sessionmaker."""
    async with health_app.state.sessionmaker() as session, session.begin():
        return await seed_demo(session)


async def test_anyone_lists_facilities_by_name(
    health_client: httpx.AsyncClient, health_seeded: int
) -> None:
    response = await health_client.get(URL)  # no Authorization header: the list is public

    assert response.status_code == 200
    facilities = response.json()
    assert [f["name"] for f in facilities] == [
        "Puskesmas Cipondoh",
        "Puskesmas Karawaci Baru",
        "Puskesmas Tanah Tinggi",
    ]
    cipondoh = facilities[0]
    assert cipondoh["code"] == "P3671050101"
    assert cipondoh["kind"] == "puskesmas"
    assert cipondoh["district_code"] == "367105"
    assert cipondoh["address"].startswith("Jl. KH. Hasyim Ashari")
    assert {"id", "created_at"} <= cipondoh.keys()


async def test_filters_by_district(health_client: httpx.AsyncClient, health_seeded: int) -> None:
    response = await health_client.get(URL, params={"district_code": "367107"})

    assert response.status_code == 200
    assert [f["code"] for f in response.json()] == ["P3671070101"]


async def test_a_district_without_facilities_is_an_empty_list(
    health_client: httpx.AsyncClient, health_seeded: int
) -> None:
    response = await health_client.get(URL, params={"district_code": "367113"})

    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("district_code", ["3671", "36710a", "3671051"])
async def test_rejects_a_malformed_district_code(
    health_client: httpx.AsyncClient, district_code: str
) -> None:
    response = await health_client.get(URL, params={"district_code": district_code})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert [e["field"] for e in problem["errors"]] == ["query.district_code"]


async def test_seeding_again_adds_nothing(health_app: FastAPI, health_seeded: int) -> None:
    assert health_seeded == len(DEMO_FACILITIES)
    async with health_app.state.sessionmaker() as session, session.begin():
        assert await seed_demo(session) == 0


async def test_liveness(health_client: httpx.AsyncClient) -> None:
    response = await health_client.get("/livez")

    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


async def test_readiness_checks_database_and_kafka(health_client: httpx.AsyncClient) -> None:
    response = await health_client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"]["status"] == "ready"
    assert body["checks"]["kafka"]["status"] == "ready"


async def test_the_migration_creates_what_the_models_declare(health_database: str) -> None:
    assert await schema_differences(health_database, Base.metadata) == []
