"""Fixtures for the event machinery tests: a database, relays and consumers on demand."""

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from kota_shared.db import create_sessionmaker
from kota_shared.events.consumer import EventConsumer
from kota_shared.events.outbox import Outbox, OutboxRelay
from kota_shared.testing.plugin import Infrastructure, create_database
from parcels import TABLES, ParcelScanned, metadata, record_scan


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
async def relay_for(
    infrastructure: Infrastructure,
) -> AsyncIterator[Callable[..., OutboxRelay]]:
    """Start relays (stopped at teardown) for a database and, by default, the session broker."""
    started: list[OutboxRelay] = []

    def start(
        sessionmaker: async_sessionmaker[AsyncSession], bootstrap_servers: str | None = None
    ) -> OutboxRelay:
        relay = OutboxRelay(
            tables=TABLES,
            sessionmaker=sessionmaker,
            bootstrap_servers=bootstrap_servers or infrastructure.kafka_bootstrap_servers,
            poll_seconds=0.5,
        )
        relay.start()
        started.append(relay)
        return relay

    yield start
    for relay in started:
        await relay.stop()


@pytest.fixture
async def consumer_for(
    infrastructure: Infrastructure,
) -> AsyncIterator[Callable[..., Any]]:
    """Start consumers (stopped at teardown); each test gets its own consumer group."""
    started: list[EventConsumer] = []
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
            "handlers": {ParcelScanned: record_scan},
            "retry_backoff_seconds": 0.05,
        }
        options.update(overrides)
        consumer = EventConsumer(**options)
        await consumer.start()
        started.append(consumer)
        return consumer

    yield start
    for consumer in started:
        await consumer.stop()


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
