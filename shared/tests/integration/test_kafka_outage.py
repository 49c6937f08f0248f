"""Kafka goes away while events are written; when it returns, every event arrives, in order."""

import asyncio
import itertools
import uuid
from collections import defaultdict
from pathlib import Path

import pytest

from kota_dev import kafka as kafka_dev
from kota_dev.faults.parcels import ParcelScanned, scans_of
from kota_dev.pytest_plugin import kafka_cache_dir
from kota_shared.testing.waiting import eventually

EVENTS = 500
PARCELS = 10


class OwnBroker:
    """A broker of this test's own: stopping it must not disturb the other tests."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._broker: kafka_dev.KafkaBroker | None = None

    async def start(self) -> str:
        self._broker = await asyncio.to_thread(
            kafka_dev.start_broker, self._data_dir, cache_dir=kafka_cache_dir()
        )
        return self._broker.bootstrap_servers

    async def stop(self) -> None:
        if self._broker is not None:
            await asyncio.to_thread(kafka_dev.stop_broker, self._broker)
            self._broker = None


@pytest.fixture
async def own_broker(tmp_path: Path):
    broker = OwnBroker(tmp_path / "kafka")
    yield broker
    await broker.stop()


async def test_events_written_while_kafka_is_down_all_arrive_in_order_per_key(
    own_broker, parcels_db, outbox, relay_for, consumer_for
):
    bootstrap_servers = await own_broker.start()
    relay = relay_for(parcels_db, bootstrap_servers)
    parcels = [uuid.uuid4().hex for _ in range(PARCELS)]
    # Prove the relay is live first, so what follows is an outage, not a cold start.
    async with parcels_db() as session, session.begin():
        await outbox.add(session, ParcelScanned(parcel=parcels[0], step=0), subject=parcels[0])
    await eventually(lambda: asyncio.sleep(0, relay.healthy), what="the relay to publish")

    await own_broker.stop()
    steps = itertools.count(1)
    for _ in range(EVENTS // 50):
        async with parcels_db() as session, session.begin():
            for _ in range(50):
                step = next(steps)
                parcel = parcels[step % PARCELS]
                await outbox.add(session, ParcelScanned(parcel=parcel, step=step), subject=parcel)
    assert await own_broker.start() == bootstrap_servers  # same address: the relay reconnects

    await consumer_for(parcels_db, bootstrap_servers=bootstrap_servers)
    applied = await eventually(
        lambda: scans_of(parcels_db, parcels),
        until=lambda rows: len(rows) >= EVENTS + 1,
        within=120,
        what=f"all {EVENTS} events to arrive",
    )
    assert len(applied) == EVENTS + 1
    assert {row.step for row in applied} == set(range(EVENTS + 1))
    per_parcel: dict[str, list[int]] = defaultdict(list)
    for row in applied:
        per_parcel[row.parcel].append(row.step)
    assert all(steps == sorted(steps) for steps in per_parcel.values())
