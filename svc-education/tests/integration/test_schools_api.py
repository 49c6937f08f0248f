"""The schools API on real PostgreSQL and Kafka: public list with capacities and quotas, level
filter, probes."""

import httpx
import pytest
from fastapi import FastAPI

from education.db import Base
from education.registrations import models as _registrations  # noqa: F401  (every table)
from education.schools import models as _schools  # noqa: F401
from education.seed import DEMO_SCHOOLS, seed_demo
from kota_shared.testing.schema import schema_differences

URL = "/v1/education/schools"


async def test_anyone_lists_schools_by_name(
    education_client: httpx.AsyncClient, education_seeded: int
) -> None:
    response = await education_client.get(URL)  # no Authorization header: the list is public

    assert response.status_code == 200
    schools = response.json()
    assert [s["name"] for s in schools] == [
        "SD Negeri Sukasari 1",
        "SMA Negeri 1 Tangerang",
        "SMA Negeri 7 Tangerang",
        "SMP Negeri 1 Tangerang",
    ]
    smp = schools[3]
    assert smp["npsn"] == "20603115"
    assert smp["level"] == "SMP"
    assert smp["district_code"] == "367101"
    # Numbers on the wire, and the six decimal places survive the round trip.
    assert smp["latitude"] == -6.178306
    assert smp["longitude"] == 106.631467
    # 10 classes of 32: the regulation's shares for SMP, the residual to domisili.
    assert smp["capacity"] == 320
    assert smp["quotas"] == {"domisili": 160, "afirmasi": 64, "mutasi": 16, "prestasi": 80}
    sd = schools[0]
    assert sd["quotas"] == {"domisili": 67, "afirmasi": 13, "mutasi": 4}  # no prestasi at SD
    assert {"id", "created_at"} <= smp.keys()


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("SD", ["20603041"]),
        ("SMP", ["20603115"]),
        ("SMA", ["20606856", "20606865"]),
    ],
)
async def test_filters_by_level(
    education_client: httpx.AsyncClient, education_seeded: int, level: str, expected: list[str]
) -> None:
    response = await education_client.get(URL, params={"level": level})

    assert response.status_code == 200
    assert [s["npsn"] for s in response.json()] == expected


@pytest.mark.parametrize("level", ["TK", "sma", ""])
async def test_rejects_an_unknown_level(education_client: httpx.AsyncClient, level: str) -> None:
    response = await education_client.get(URL, params={"level": level})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert [e["field"] for e in problem["errors"]] == ["query.level"]


async def test_seeding_again_adds_nothing(education_app: FastAPI, education_seeded: int) -> None:
    assert education_seeded == len(DEMO_SCHOOLS)
    async with education_app.state.sessionmaker() as session, session.begin():
        assert await seed_demo(session) == 0


async def test_liveness(education_client: httpx.AsyncClient) -> None:
    response = await education_client.get("/livez")

    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


async def test_readiness_checks_database_and_kafka(education_client: httpx.AsyncClient) -> None:
    response = await education_client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"]["status"] == "ready"
    assert body["checks"]["kafka"]["status"] == "ready"


async def test_the_migration_creates_what_the_models_declare(education_database: str) -> None:
    assert await schema_differences(education_database, Base.metadata) == []
