"""The idempotent consumer on real Kafka and PostgreSQL: duplicates, crashes, poison messages."""

import asyncio
import signal
import uuid

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import TopicPartition
from sqlalchemy import func, select

from kota_dev.faults.load import spawn_consumer
from kota_dev.faults.parcels import TABLES, ParcelScanned, count_scans, record_scan, scans_of
from kota_shared.events.consumer import dead_letter_topic, on
from kota_shared.events.envelope import build_message
from kota_shared.events.topics import ensure_topics
from kota_shared.testing.kafka import read_records
from kota_shared.testing.waiting import eventually


def scan(parcel: str, step: int = 1):
    return build_message(
        ParcelScanned(parcel=parcel, step=step),
        source="/kota-live/tests",
        subject=parcel,
        trace_headers={},
    )


async def test_same_event_three_times_to_two_instances_applies_once(
    parcels_db, consumer_for, send_raw, private_topic, infrastructure
):
    await ensure_topics(infrastructure.kafka_bootstrap_servers, [private_topic], partitions=3)
    first = await consumer_for(parcels_db, topics=[private_topic])
    second = await consumer_for(parcels_db, topics=[private_topic])
    await eventually(
        lambda: asyncio.sleep(0, [first.assigned_partitions, second.assigned_partitions]),
        until=lambda sets: all(sets) and len(sets[0] | sets[1]) == 3,
        what="both instances to own partitions",
    )
    parcel = uuid.uuid4().hex
    message = scan(parcel)
    # One copy on every partition: both instances receive the same event at about once.
    for partition in range(3):
        await send_raw(
            private_topic, message.value, key=parcel, headers=message.headers, partition=partition
        )

    await eventually(
        lambda: asyncio.sleep(
            0, first.applied + first.duplicates + second.applied + second.duplicates
        ),
        until=lambda seen: seen == 3,
        what="all three deliveries to be handled",
    )
    assert first.applied + second.applied == 1
    assert first.duplicates + second.duplicates == 2
    assert await count_scans(parcels_db, [parcel]) == 1


async def test_consumer_killed_before_offset_commit_does_not_repeat_the_effect(
    parcels_db, consumer_for, send_raw, private_topic, infrastructure
):
    parcel = uuid.uuid4().hex
    message = scan(parcel)
    await ensure_topics(infrastructure.kafka_bootstrap_servers, [private_topic], partitions=1)
    await send_raw(private_topic, message.value, key=parcel, headers=message.headers)
    group = f"test-killed-{uuid.uuid4().hex[:8]}"
    database_url = parcels_db.kw["bind"].url.render_as_string(hide_password=False)

    killed = await spawn_consumer(
        database_url,
        infrastructure.kafka_bootstrap_servers,
        group,
        private_topic,
        "--die-after-first-apply",
    )
    assert await asyncio.wait_for(killed.wait(), 60) == -signal.SIGKILL
    assert await count_scans(parcels_db, [parcel]) == 1  # the effect was committed...
    assert await committed_offset(infrastructure, group, private_topic) is None  # ...the offset not

    survivor = await consumer_for(parcels_db, name=group, topics=[private_topic])
    await eventually(
        lambda: committed_offset(infrastructure, group, private_topic),
        until=lambda offset: offset == 1,
        what="the redelivered event to be acknowledged",
    )
    assert survivor.duplicates == 1  # it was redelivered...
    assert survivor.applied == 0
    assert await count_scans(parcels_db, [parcel]) == 1  # ...and changed nothing


async def committed_offset(infrastructure, group: str, topic: str) -> int | None:
    admin = AIOKafkaAdminClient(bootstrap_servers=infrastructure.kafka_bootstrap_servers)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    committed = offsets.get(TopicPartition(topic, 0))
    return None if committed is None or committed.offset < 0 else committed.offset


async def test_poison_message_goes_to_dead_letter_and_the_partition_moves_on(
    parcels_db, consumer_for, send_raw, private_topic, infrastructure
):
    await ensure_topics(infrastructure.kafka_bootstrap_servers, [private_topic], partitions=1)
    good_before, poison, good_after = (uuid.uuid4().hex for _ in range(3))

    async def fails_on_poison(session, event):
        if event.data.parcel == poison:
            raise ValueError("this parcel cannot be scanned")
        await record_scan(session, event)

    consumer = await consumer_for(
        parcels_db,
        topics=[private_topic],
        subscriptions=[on(ParcelScanned, fails_on_poison)],
        max_attempts=3,
    )
    key = "one-partition"
    for parcel in (good_before, poison):
        message = scan(parcel)
        await send_raw(private_topic, message.value, key=key, headers=message.headers)
    await send_raw(private_topic, b"{not json", key=key)  # not even a CloudEvent
    message = scan(good_after)
    await send_raw(private_topic, message.value, key=key, headers=message.headers)

    applied = await eventually(
        lambda: scans_of(parcels_db, [good_before, poison, good_after]),
        until=lambda rows: len(rows) == 2,
        what="the good messages on both sides of the poison",
    )
    assert [row.parcel for row in applied] == [good_before, good_after]

    dead = await read_records(
        infrastructure.kafka_bootstrap_servers,
        dead_letter_topic(consumer.name),
        until=lambda records: len(records) >= 2,
    )
    headers = [{k: v.decode() for k, v in record.headers} for record in dead]
    by_offset = {int(h["dlq.origin.offset"]): h for h in headers}
    assert set(by_offset) == {1, 2}
    assert by_offset[1]["dlq.origin.topic"] == private_topic
    assert by_offset[1]["dlq.origin.partition"] == "0"
    assert by_offset[1]["dlq.error.type"] == "ValueError"
    assert "cannot be scanned" in by_offset[1]["dlq.error.message"]
    assert by_offset[2]["dlq.error.type"] == "MalformedEvent"
    assert consumer.dead_lettered == 2


async def test_inbox_records_each_event_once(parcels_db, consumer_for, send_raw, private_topic):
    """The inbox row is what makes redelivery a no-op: one per (consumer, event)."""
    consumer = await consumer_for(parcels_db, topics=[private_topic])
    parcel = uuid.uuid4().hex
    message = scan(parcel)
    for _ in range(2):
        await send_raw(private_topic, message.value, key=parcel, headers=message.headers)
    await eventually(
        lambda: asyncio.sleep(0, consumer.applied + consumer.duplicates),
        until=lambda n: n == 2,
        what="both deliveries",
    )
    async with parcels_db() as session:
        rows = await session.scalar(
            select(func.count())
            .select_from(TABLES.inbox)
            .where(TABLES.inbox.c.event_id == str(message.event_id))
        )
    assert rows == 1
