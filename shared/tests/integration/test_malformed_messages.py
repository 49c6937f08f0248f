"""Whatever bytes arrive on a consumed topic, the consumer dead-letters the bad ones and lives.

A fault run killed every consumer of a topic with a JSON object that was no CloudEvent, a
JSON array, a numeric id, a bad extension name or deep nesting, and restarting did not help:
it read the same offset and died again. An event without ``id`` was applied under a new
random id at each delivery. Here each kind of bad message lands between good ones.
"""

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaProducer

from kota_dev.faults.parcels import ParcelScanned, count_scans, scans_of
from kota_shared.events.consumer import dead_letter_topic
from kota_shared.events.envelope import OutgoingMessage, build_message
from kota_shared.events.topics import ensure_topics
from kota_shared.testing.kafka import read_records
from kota_shared.testing.waiting import eventually


def good_message(parcel: str) -> OutgoingMessage:
    return build_message(
        ParcelScanned(parcel=parcel, step=1),
        source="/kota-live/tests",
        subject=parcel,
        trace_headers={},
    )


def scan_event(parcel: str) -> dict[str, Any]:
    """A good event as JSON, to be spoiled one attribute at a time."""
    event: dict[str, Any] = json.loads(good_message(parcel).value)
    return event


def spoiled(change: Callable[[dict[str, Any]], None]) -> Callable[[str], bytes]:
    def make(parcel: str) -> bytes:
        event = scan_event(parcel)
        change(event)
        return json.dumps(event).encode()

    return make


def deeply_nested(parcel: str) -> bytes:
    event = scan_event(parcel)
    depth = 100_000
    body = json.dumps(event)[:-1]  # reopen the object to add a field nested absurdly deep
    return f'{body}, "nested": {"[" * depth}{"]" * depth}}}'.encode()


def oversized(parcel: str) -> bytes:
    event = scan_event(parcel)
    event["data"]["padding"] = "x" * 600_000
    return json.dumps(event).encode()


CORPUS: dict[str, Callable[[str], bytes]] = {
    "not UTF-8": lambda _parcel: b"\xff\xfe\x00 not text",
    "not JSON": lambda _parcel: b"{not json",
    "a JSON array": lambda _parcel: b"[1, 2, 3]",
    "a JSON number": lambda _parcel: b"42",
    "JSON null": lambda _parcel: b"null",
    "an object without CloudEvents attributes": lambda _parcel: b'{"hello": "world"}',
    "no id": spoiled(lambda e: e.pop("id")),
    "a numeric id": spoiled(lambda e: e.update(id=5)),
    "an empty id": spoiled(lambda e: e.update(id="")),
    "specversion 0.3": spoiled(lambda e: e.update(specversion="0.3")),
    "no specversion": spoiled(lambda e: e.pop("specversion")),
    "no source": spoiled(lambda e: e.pop("source")),
    "a numeric type": spoiled(lambda e: e.update(type=7)),
    "an invalid extension name": spoiled(lambda e: e.update({"Bad-Name!": "x"})),
    "data that is a list": spoiled(lambda e: e.update(data=[1, 2])),
    "data breaking its schema": spoiled(lambda e: e["data"].update(step="first")),
    "data with an unknown field": spoiled(lambda e: e["data"].update(admin=True)),
    "absurd nesting": deeply_nested,
    "an absurd size": oversized,
}


async def test_every_malformed_message_is_dead_lettered_once_and_the_consumer_lives_on(
    parcels_db, consumer_for, supervisor, private_topic, infrastructure
):
    await ensure_topics(infrastructure.kafka_bootstrap_servers, [private_topic], partitions=1)
    consumer = await consumer_for(parcels_db, topics=[private_topic])
    before, after, last = (uuid.uuid4().hex for _ in range(3))
    spoiled_parcels = {kind: uuid.uuid4().hex for kind in CORPUS}
    producer = AIOKafkaProducer(bootstrap_servers=infrastructure.kafka_bootstrap_servers)
    await producer.start()
    try:

        async def send(value: bytes | None, headers: dict[str, str] | None = None) -> int:
            sent = await producer.send_and_wait(
                private_topic,
                value=value,
                key=b"one-key",
                headers=[(k, v.encode()) for k, v in (headers or {}).items()],
            )
            return int(sent.offset)

        async def send_good(parcel: str) -> None:
            message = good_message(parcel)
            await send(message.value, message.headers)

        await send_good(before)
        origins = {await send(make(spoiled_parcels[kind])): kind for kind, make in CORPUS.items()}
        origins[await send(None)] = "a tombstone (no value)"
        await send_good(after)

        await eventually(
            lambda: count_scans(parcels_db, [before, after]),
            until=lambda n: n == 2,
            what="the good messages on both sides of the corpus",
        )
        # Still consuming afterwards, with no restart in between.
        await send_good(last)
        await eventually(lambda: count_scans(parcels_db, [last]), until=lambda n: n == 1)
    finally:
        await producer.stop()

    dead = await read_records(
        infrastructure.kafka_bootstrap_servers,
        dead_letter_topic(consumer.name),
        until=lambda records: len(records) >= len(origins),
    )
    headers = [{k: v.decode(errors="replace") for k, v in record.headers} for record in dead]
    offsets = [int(h["dlq.origin.offset"]) for h in headers]
    assert sorted(offsets) == sorted(origins), "each bad message dead-lettered exactly once"
    assert all(h["dlq.origin.topic"] == private_topic for h in headers)
    assert all(h["dlq.error.type"] == "MalformedEvent" for h in headers), [
        (origins[int(h["dlq.origin.offset"])], h["dlq.error.type"]) for h in headers
    ]
    assert await scans_of(parcels_db, list(spoiled_parcels.values())) == []
    assert consumer.dead_lettered == len(origins)
    assert all(task["restarts"] == 0 for task in supervisor.report().values())


async def test_an_event_without_id_is_not_applied_however_often_it_arrives(
    parcels_db, consumer_for, send_raw, private_topic, infrastructure
):
    """Before, the SDK gave it a new random id at each parse: the inbox let every copy in."""
    consumer = await consumer_for(parcels_db, topics=[private_topic])
    parcel, marker = uuid.uuid4().hex, uuid.uuid4().hex
    event = scan_event(parcel)
    del event["id"]
    for _ in range(2):
        await send_raw(private_topic, json.dumps(event).encode(), key=parcel)
    good = good_message(marker)
    await send_raw(private_topic, good.value, key=parcel, headers=good.headers)

    await eventually(lambda: count_scans(parcels_db, [marker]), until=lambda n: n == 1)
    await eventually(lambda: asyncio.sleep(0, consumer.dead_lettered), until=lambda n: n == 2)
    assert await count_scans(parcels_db, [parcel]) == 0
