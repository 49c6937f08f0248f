"""Monitoring counts every event it consumes from real Kafka, once, and shows officials."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI

from kota_shared.events.envelope import EventData, build_message
from kota_shared.testing.plugin import AuthHeaders, Infrastructure, migrated_database, running_app
from kota_shared.testing.schema import schema_differences
from kota_shared.testing.waiting import eventually
from monitoring.config import MonitoringSettings
from monitoring.main import create_app
from monitoring.models import Base

URL = "/v1/monitoring/event-counts"


class PermitInspected(EventData):
    """An event type of this test's own, so its count starts at zero."""

    event_type: ClassVar[str] = f"permits.test.inspected.{uuid.uuid4().hex[:6]}.v1"
    topic: ClassVar[str] = "permits.events"

    note: str


@pytest.fixture(scope="session")
async def monitoring_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "monitoring:migrations", "monitoring")


@pytest.fixture(scope="session")
async def monitoring_client(
    monitoring_database: str, service_env: dict[str, Any]
) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(MonitoringSettings(database_url=monitoring_database, **service_env))
    async with running_app(app) as client:
        yield client


async def publish(infrastructure: Infrastructure, *values: bytes, key: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=infrastructure.kafka_bootstrap_servers)
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(PermitInspected.topic, value=value, key=key.encode())
    finally:
        await producer.stop()


async def test_events_are_counted_once_per_event_id(
    monitoring_client: httpx.AsyncClient, auth_headers: AuthHeaders, infrastructure: Infrastructure
) -> None:
    admin = auth_headers("admin-1", roles=["city_admin"])
    subject = str(uuid.uuid4())
    first, second = (
        build_message(
            PermitInspected(note=note),
            source="/kota-live/permits",
            subject=subject,
            trace_headers={},
            time=datetime(2026, 11, 29, 8, 0, tzinfo=UTC),
        )
        for note in ("first", "second")
    )
    # The first event arrives twice (a redelivery): it must count once.
    await publish(infrastructure, first.value, first.value, second.value, key=subject)

    async def count() -> int:
        response = await monitoring_client.get(URL, headers=admin)
        counts = {c["event_type"]: c["count"] for c in response.json()}
        return int(counts.get(PermitInspected.event_type, 0))

    assert await eventually(count, until=lambda n: n >= 2, what="both events counted") == 2
    assert await count() == 2
    metrics = (await monitoring_client.get("/metrics")).text
    duplicate = 'kota_events_consumed_total{consumer="monitoring.event-counts",outcome="duplicate"}'
    assert duplicate in metrics


@pytest.mark.parametrize(
    ("roles", "scopes", "status"),
    [
        (["citizen"], [], 403),
        (["permits_officer"], [], 403),
        ([], ["permits:verify"], 403),
        ([], ["monitoring:read"], 200),
        (["monitoring_viewer"], [], 200),
    ],
)
async def test_only_officials_and_scoped_clients_read_counts(
    monitoring_client: httpx.AsyncClient,
    auth_headers: AuthHeaders,
    roles: list[str],
    scopes: list[str],
    status: int,
) -> None:
    response = await monitoring_client.get(
        URL, headers=auth_headers("someone", roles=roles, scopes=scopes)
    )

    assert response.status_code == status


async def test_anonymous_callers_get_401(monitoring_client: httpx.AsyncClient) -> None:
    assert (await monitoring_client.get(URL)).status_code == 401


async def test_the_migration_creates_what_the_models_declare(monitoring_database: str) -> None:
    assert await schema_differences(monitoring_database, Base.metadata) == []
