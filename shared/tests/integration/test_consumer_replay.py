"""A consumer that replays its topics until caught up (what a read-model rebuild runs): it
applies everything the topics held when it connected, once each, and then returns."""

import uuid

from aiokafka import AIOKafkaProducer

from kota_dev.faults.parcels import TABLES, ParcelScanned, count_scans, record_scan
from kota_dev.pytest_plugin import Infrastructure
from kota_shared.events.consumer import EventConsumer, on
from kota_shared.events.envelope import build_message
from kota_shared.events.topics import ensure_topics


async def test_a_replay_applies_what_its_topics_held_once_each_and_returns(
    parcels_db, private_topic: str, infrastructure: Infrastructure
) -> None:
    servers = infrastructure.kafka_bootstrap_servers
    await ensure_topics(servers, [private_topic], partitions=3)
    parcels = [uuid.uuid4().hex for _ in range(20)]
    producer = AIOKafkaProducer(bootstrap_servers=servers)
    await producer.start()
    try:
        for parcel in parcels:
            message = build_message(
                ParcelScanned(parcel=parcel, step=1),
                source="/kota-live/tests",
                subject=parcel,
                trace_headers={},
            )
            headers = [(k, v.encode()) for k, v in message.headers.items()]
            # Every event twice, as an at-least-once producer may publish it.
            for _ in range(2):
                await producer.send_and_wait(
                    private_topic, value=message.value, key=parcel.encode(), headers=headers
                )
    finally:
        await producer.stop()
    replay = EventConsumer(
        name=f"test-replay-{uuid.uuid4().hex[:8]}",
        topics=[private_topic],
        bootstrap_servers=servers,
        sessionmaker=parcels_db,
        tables=TABLES,
        context=lambda session: session,
        subscriptions=[on(ParcelScanned, record_scan)],
        until_caught_up=True,
    )

    await replay.run()  # returns by itself: the test's timeout is the deadline

    assert (replay.applied, replay.duplicates) == (20, 20)
    assert await count_scans(parcels_db, parcels) == 20


async def test_a_replay_of_empty_topics_returns_at_once(
    parcels_db, private_topic: str, infrastructure: Infrastructure
) -> None:
    await ensure_topics(infrastructure.kafka_bootstrap_servers, [private_topic], partitions=2)
    replay = EventConsumer(
        name=f"test-replay-{uuid.uuid4().hex[:8]}",
        topics=[private_topic],
        bootstrap_servers=infrastructure.kafka_bootstrap_servers,
        sessionmaker=parcels_db,
        tables=TABLES,
        context=lambda session: session,
        subscriptions=[on(ParcelScanned, record_scan)],
        until_caught_up=True,
    )

    await replay.run()

    assert replay.applied == 0
