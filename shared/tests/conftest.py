"""Fixtures for the event machinery tests: a database, relays and consumers on demand."""

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from kota_dev.faults.parcels import TABLES, ParcelScanned, metadata, record_scan
from kota_dev.pytest_plugin import Infrastructure, create_database
from kota_shared.db import create_sessionmaker
from kota_shared.events.consumer import EventConsumer, on
from kota_shared.events.outbox import Outbox, OutboxRelay
from kota_shared.i18n import Catalogue
from kota_shared.supervision import Supervisor
from kota_shared.testing.waiting import eventually

PHRASES = {
    "The application is already submitted.": "Permohonan sudah diajukan.",
    "{name} is not allowed.": "{name} tidak diperbolehkan.",
    "Open until {day}, fee {fee}, for {who}.": "Dibuka sampai {day}, biaya {fee}, untuk {who}.",
    "children": "anak-anak",
}
"""The phrasebook's catalogue: English → Indonesian, as a translator would have written it."""


@pytest.fixture
def phrasebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Catalogue:
    """The catalogue of a package made for the test, whose ``.po`` holds `PHRASES`."""
    package = tmp_path / "phrasebook"
    (package / "locale/id/LC_MESSAGES").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    catalog = Catalog(locale="id")
    for english, indonesian in PHRASES.items():
        catalog.add(english, indonesian)
    with (package / "locale/id/LC_MESSAGES/messages.po").open("wb") as po:
        write_po(po, catalog)
    monkeypatch.syspath_prepend(str(tmp_path))
    return Catalogue("phrasebook")


@pytest.fixture
async def parcels_db(
    infrastructure: Infrastructure,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A fresh database holding the miniature service's tables."""
    url = await create_database(infrastructure, "parcels")
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


@pytest.fixture
def outbox() -> Outbox:
    return Outbox(tables=TABLES, source="/kota-live/tests")


@pytest.fixture
async def supervisor() -> AsyncIterator[Supervisor]:
    """Runs a test's relays and consumers as a service runs them; stopped at teardown."""
    supervisor = Supervisor()
    yield supervisor
    await supervisor.stop()


_task_numbers = itertools.count()


@pytest.fixture
def relay_for(infrastructure: Infrastructure, supervisor: Supervisor) -> Callable[..., OutboxRelay]:
    """Start relays for a database and, by default, the session broker."""

    def start(
        sessionmaker: async_sessionmaker[AsyncSession], bootstrap_servers: str | None = None
    ) -> OutboxRelay:
        relay = OutboxRelay(
            tables=TABLES,
            sessionmaker=sessionmaker,
            bootstrap_servers=bootstrap_servers or infrastructure.kafka_bootstrap_servers,
            poll_seconds=0.5,
        )
        supervisor.start(f"outbox-relay-{next(_task_numbers)}", relay.run)
        return relay

    return start


@pytest.fixture
def consumer_for(infrastructure: Infrastructure, supervisor: Supervisor) -> Callable[..., Any]:
    """Start consumers, each owning partitions when returned; a test's own consumer group."""
    group = f"test-{uuid.uuid4().hex[:8]}"

    async def start(
        sessionmaker: async_sessionmaker[AsyncSession], **overrides: Any
    ) -> EventConsumer:
        options: dict[str, Any] = {
            "name": group,
            "topics": [ParcelScanned.topic],
            "bootstrap_servers": infrastructure.kafka_bootstrap_servers,
            "sessionmaker": sessionmaker,
            "tables": TABLES,
            "context": lambda session: session,
            "subscriptions": [on(ParcelScanned, record_scan)],
            "retry_backoff_seconds": 0.05,
        }
        options.update(overrides)
        consumer = EventConsumer(**options)
        supervisor.start(f"consumer-{next(_task_numbers)}", consumer.run)
        await eventually(
            lambda: asyncio.sleep(0, consumer.assigned_partitions),
            within=60,
            what=f"consumer {consumer.name} to own partitions",
        )
        return consumer

    return start


@pytest.fixture
def private_topic() -> str:
    """A topic of the test's own, so no other test's events are in the way."""
    return f"test.parcels.{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def send_raw(infrastructure: Infrastructure) -> AsyncIterator[Callable[..., Any]]:
    """Produce bytes straight to Kafka, as a misbehaving or duplicating producer would."""
    producer = AIOKafkaProducer(bootstrap_servers=infrastructure.kafka_bootstrap_servers)
    await producer.start()

    async def send(
        topic: str,
        value: bytes,
        *,
        key: str,
        headers: dict[str, str] | None = None,
        partition: int | None = None,
    ) -> Any:
        return await producer.send_and_wait(
            topic,
            value=value,
            key=key.encode(),
            headers=[(k, v.encode()) for k, v in (headers or {}).items()],
            partition=partition,
        )

    yield send
    await producer.stop()
