"""The facilities API on real PostgreSQL and Kafka: public list, district filter, each
facility's services, the seed, probes."""

import uuid

import httpx
import pytest
from fastapi import FastAPI

from health.bookings import models as _bookings  # noqa: F401  (every table on Base.metadata)
from health.db import Base
from health.facilities import models as _facilities  # noqa: F401
from health.seed import DEMO_FACILITIES, DEMO_SERVICES, seed_demo
from kota_shared.testing.schema import schema_differences

URL = "/v1/health/facilities"


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


async def test_anyone_lists_a_facilitys_services_with_quota_and_days(
    health_client: httpx.AsyncClient, health_seeded: int
) -> None:
    facilities = (await health_client.get(URL, params={"district_code": "367101"})).json()
    (tanah_tinggi,) = facilities

    response = await health_client.get(f"{URL}/{tanah_tinggi['id']}/services")

    assert response.status_code == 200
    services = {s["code"]: s for s in response.json()}
    assert {"umum", "gigi", "kia", "lansia"} <= services.keys()
    assert services["umum"] == {
        "facility_id": tanah_tinggi["id"],
        "code": "umum",
        "name": "Poli Umum",
        "daily_quota": 60,
        "open_weekdays": [1, 2, 3, 4, 5, 6],
    }
    assert services["lansia"]["open_weekdays"] == [2, 4]


async def test_the_services_of_an_unknown_facility_are_404(
    health_client: httpx.AsyncClient,
) -> None:
    response = await health_client.get(f"{URL}/{uuid.uuid4()}/services")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


async def test_seeding_again_adds_nothing(health_app: FastAPI, health_seeded: int) -> None:
    demo_services = sum(len(offered) for offered in DEMO_SERVICES.values())
    assert health_seeded == len(DEMO_FACILITIES) + demo_services
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
