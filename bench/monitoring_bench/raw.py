"""The baselines: the same topics read from the beginning to the end without any read model.

``raw_json``: one plain ``AIOKafkaConsumer`` in a new group (subscribed, as ``EventConsumer``
is: manual offset commits after each batch, read_committed, batches of up to 500), each value
deserialised with ``json.loads``. ``envelope``: the same, each record parsed as the read
models' consumer parses it before any handler runs (``parse_message``: the CloudEvent, and its
data checked against the event's model, or its published schema for a type monitoring has no
model of). Timed from ``start()`` (the group join included, as the rebuild's is) until every
partition's position has reached where it ended when the read began.
"""

import json
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from kota_shared.events.envelope import parse_message
from kota_shared.events.published_schemas import PublishedSchemas

from .config import log


async def _ends(consumer: AIOKafkaConsumer, topics: list[str]) -> dict[TopicPartition, int]:
    await consumer.topics()  # fetches the metadata partitions_for_topic reads
    partitions = [
        TopicPartition(topic, partition)
        for topic in topics
        for partition in consumer.partitions_for_topic(topic) or ()
    ]
    ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
    return {tp: end for tp, end in ends.items() if end > 0}


async def _reached(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    """Whether every partition has been read up to where it ended when the read began."""
    assignment = consumer.assignment()
    if not all(tp in assignment for tp in ends):
        return False
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            return False
    return True


async def consume(
    kafka: str, topics: list[str], *, group: str, schemas: PublishedSchemas | None
) -> dict[str, Any]:
    """Read ``topics`` to their ends in ``group``; with ``schemas``, parse each record as an
    event (else ``json.loads`` its value). Events per second and what was read."""
    consumer = AIOKafkaConsumer(
        *topics,  # subscribed before start(), so its metadata covers them at once
        bootstrap_servers=kafka,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    label = "envelope" if schemas is not None else "raw json"
    began = time.perf_counter()
    await consumer.start()
    read = value_bytes = malformed = 0
    try:
        ends = await _ends(consumer, topics)
        if not ends:
            raise RuntimeError(f"no partition of {topics} holds a record")
        expected = sum(ends.values())
        while True:
            batch = await consumer.getmany(timeout_ms=500, max_records=500)
            for records in batch.values():
                for record in records:
                    value_bytes += len(record.value or b"")
                    if schemas is None:
                        json.loads(record.value)
                    else:
                        try:
                            parse_message(
                                topic=record.topic,
                                partition=record.partition,
                                offset=record.offset,
                                key=record.key,
                                value=record.value,
                                headers={
                                    k: v.decode(errors="replace") for k, v in record.headers or ()
                                },
                                schemas=schemas,
                            )
                        except ValueError:
                            malformed += 1
                read += len(records)
            if batch:
                await consumer.commit()
                if read % 100_000 < 500:
                    log("%s baseline: %d of %d records", label, read, expected)
            if await _reached(consumer, ends):
                break
    finally:
        await consumer.stop()
    seconds = time.perf_counter() - began
    result: dict[str, Any] = {
        "events": read,
        "seconds": round(seconds, 2),
        "events_per_s": round(read / seconds, 1),
        "value_mb": round(value_bytes / 2**20, 1),
    }
    if schemas is not None:
        result["malformed"] = malformed
    return result
