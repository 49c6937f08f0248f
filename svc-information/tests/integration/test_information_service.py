"""The information service boots on a migrated database, answers its probes, and its migrations
match its models."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from information.config import InformationSettings
from information.db import Base
from information.main import create_app
from kota_contracts.services import declared
from kota_dev.pytest_plugin import Infrastructure, migrated_database, running_app
from kota_shared.testing.schema import schema_differences


@pytest.fixture(scope="session")
async def information_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "information:migrations", "information")


@pytest.fixture(scope="session")
async def information_client(
    information_database: str, service_env: dict[str, Any]
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(InformationSettings(database_url=information_database, **service_env))
    async with running_app(app) as client:
        yield client


async def test_the_migrations_create_exactly_the_models_tables(information_database: str) -> None:
    assert await schema_differences(information_database, Base.metadata) == []


async def test_it_is_ready_once_its_database_and_kafka_answer(
    information_client: httpx.AsyncClient,
) -> None:
    response = await information_client.get("/readyz")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["checks"]["database"]["status"] == "ready"
    assert body["checks"]["kafka"]["status"] == "ready"
    assert body["tasks"]["outbox-relay"]["state"] == "running"
    assert (await information_client.get("/livez")).status_code == 200


def test_it_is_declared_in_the_registry() -> None:
    assert declared("information").package == "information"
