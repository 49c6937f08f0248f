"""Monitoring counts every event it consumes from real Kafka, once, and shows officials."""

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from monitoring_feed import CONSUMER, duplicates_counted, unread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from kota_dev.pytest_plugin import AuthHeaders, Infrastructure
from kota_shared.events.consumer import dead_letter_topic
from kota_shared.events.envelope import EventData, build_message, schema_uri
from kota_shared.testing.kafka import read_records
from kota_shared.testing.schema import schema_differences
from kota_shared.testing.waiting import eventually
from monitoring.config import MonitoringSettings
from monitoring.counters import models as _counters  # noqa: F401  (its table on Base)
from monitoring.db import EVENT_TABLES, Base
from monitoring.main import create_app

URL = "/v1/monitoring/event-counts"
BOOKED = "health.appointment.booked.v1"
"""A published type whose model monitoring does not import: only its schema can check it."""


class PermitInspected(EventData):
    """An event type of this test's own, so its count starts at zero."""

    event_type: ClassVar[str] = f"permits.test.inspected.{uuid.uuid4().hex[:6]}.v1"
    topic: ClassVar[str] = "permits.events"

    note: str


async def publish(
    infrastructure: Infrastructure, *values: bytes, key: str, topic: str = PermitInspected.topic
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=infrastructure.kafka_bootstrap_servers)
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value=value, key=key.encode())
    finally:
        await producer.stop()


async def test_events_are_counted_once_per_event_id(
    monitoring_client: httpx.AsyncClient, auth_headers: AuthHeaders, infrastructure: Infrastructure
) -> None:
    admin = auth_headers("admin-1", roles=["city_admin"])
    # The duplicate counter is the consumer's, for every topic: first let it count what
    # other tests sent (their redeliveries too), so that only ours move it from here.
    await eventually(
        lambda: unread(infrastructure.kafka_bootstrap_servers),
        until=lambda unread: unread == 0,
        within=120,
        what="monitoring to consume what was published before this test",
    )
    duplicates_before = await duplicates_counted(monitoring_client)
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
    # The first event arrives three times (two redeliveries): it must count once, and the
    # two repeats as duplicates.
    await publish(infrastructure, first.value, first.value, first.value, second.value, key=subject)

    async def count() -> int:
        response = await monitoring_client.get(URL, headers=admin)
        counts = {c["event_type"]: c["count"] for c in response.json()}
        return int(counts.get(PermitInspected.event_type, 0))

    assert await eventually(count, until=lambda n: n >= 2, what="both events counted") == 2
    assert await count() == 2
    # Counted just after the transaction that the count above is read from commits. At
    # least our two repeats: delivery is at least once, and a batch re-read after a
    # rebalance or an outage pause is counted again (as duplicates, never as effects).
    await eventually(
        lambda: duplicates_counted(monitoring_client),
        until=lambda n: n >= duplicates_before + 2,
        what="the two repeats counted as duplicates",
    )
    assert await count() == 2


def appointment_booked(subject: str, **changes: Any) -> tuple[str, bytes]:
    """An event id and the event, as svc-health would send it but for ``changes`` to its
    data; written out by hand, since its model is not monitoring's to import."""
    event_id = str(uuid.uuid4())
    data = {
        "booking_id": subject,
        "citizen_id": "citizen-1",
        "facility_id": str(uuid.uuid4()),
        "facility_code": "PKM-01",
        "service_code": "general",
        "visit_date": "2026-11-30",
        "queue_number": 7,
        "queue_label": "A-007",
        "assisted_by": None,
        "booked_at": "2026-11-29T08:00:00Z",
    } | changes
    event = {
        "specversion": "1.0",
        "id": event_id,
        "source": "/kota-live/health",
        "type": BOOKED,
        "subject": subject,
        "time": "2026-11-29T08:00:00Z",
        "datacontenttype": "application/json",
        "dataschema": schema_uri(BOOKED),
        "data": data,
    }
    return event_id, json.dumps(event).encode()


async def applied(connection: AsyncConnection, *event_ids: str) -> set[str]:
    """Which of ``event_ids`` monitoring has applied. Its inbox row is written in the same
    transaction as the count, so an event is counted exactly when it is here, whatever
    other tests' events of the same type are being counted meanwhile."""
    inbox = EVENT_TABLES.inbox
    rows = await connection.scalars(
        select(inbox.c.event_id).where(
            inbox.c.consumer == CONSUMER, inbox.c.event_id.in_(event_ids)
        )
    )
    return set(rows)


async def test_an_event_whose_data_breaks_its_published_schema_is_dead_lettered_not_counted(
    monitoring_client: httpx.AsyncClient, monitoring_database: str, infrastructure: Infrastructure
) -> None:
    subject = str(uuid.uuid4())
    broken_id, broken = appointment_booked(subject, queue_number="seven")
    valid_id, valid = appointment_booked(subject)
    # The same key, so one partition, in this order: once the valid one is applied, the
    # broken one has been dealt with.
    await publish(infrastructure, broken, valid, key=subject, topic="health.events")

    engine = create_async_engine(monitoring_database)
    try:
        async with engine.connect() as connection:
            done = await eventually(
                lambda: applied(connection, broken_id, valid_id),
                until=lambda ids: valid_id in ids,
                what="the valid event counted",
            )
    finally:
        await engine.dispose()

    assert done == {valid_id}
    dead = await read_records(
        infrastructure.kafka_bootstrap_servers,
        dead_letter_topic(CONSUMER),
        until=lambda records: any(r.value == broken for r in records),
    )
    (record,) = [r for r in dead if r.value == broken]
    headers = dict(record.headers)
    assert headers["dlq.error.type"] == b"MalformedEvent"
    assert b"does not match its schema" in headers["dlq.error.message"]


def test_monitoring_refuses_to_start_without_published_schemas(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no published event schemas"):
        create_app(MonitoringSettings(event_schemas_dir=tmp_path))


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
