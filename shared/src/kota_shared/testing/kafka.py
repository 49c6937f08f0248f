"""Read what really went through Kafka in a test, from the start of a topic, with a deadline."""

from collections.abc import Callable, Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from cloudevents.v1.http import CloudEvent
from cloudevents.v1.kafka import KafkaMessage, from_structured

from kota_shared.events.envelope import EventData, build_message
from kota_shared.testing.contracts import assert_matches_published_schema
from kota_shared.testing.waiting import eventually


async def read_records(
    bootstrap_servers: str,
    topic: str,
    *,
    until: Callable[[list[Any]], bool],
    within: float = 30.0,
) -> list[Any]:
    """Every record on ``topic`` so far, read until ``until(records)`` holds."""
    reader = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await reader.start()
    records: list[Any] = []
    try:

        async def more() -> list[Any]:
            batch = await reader.getmany(timeout_ms=200)
            for partition_records in batch.values():
                records.extend(partition_records)
            return records

        return await eventually(more, until=until, within=within, what=f"records on {topic}")
    finally:
        await reader.stop()


async def publish(
    bootstrap_servers: str, data: EventData, *, source: str, subject: str, times: int = 1
) -> None:
    """Put an event on its topic as its producing service would (``times`` > 1: redelivered,
    the same event id each time)."""
    message = build_message(data, source=source, subject=subject, trace_headers={})
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, enable_idempotence=True)
    await producer.start()
    try:
        for _ in range(times):
            await producer.send_and_wait(
                message.topic,
                value=message.value,
                key=message.key.encode(),
                headers=[(k, v.encode()) for k, v in message.headers.items()],
            )
    finally:
        await producer.stop()


async def read_events(
    bootstrap_servers: str, topic: str, *, key: str, until_types: Iterable[str]
) -> list[CloudEvent]:
    """One aggregate's events on ``topic`` (those keyed ``key``), in order, once every type
    in ``until_types`` has arrived; each parsed by the CloudEvents SDK (which checks the
    envelope) and its payload held to its published JSON Schema."""
    wanted = set(until_types)

    def parsed(records: list[Any]) -> list[CloudEvent]:
        return [
            from_structured(KafkaMessage(headers=dict(r.headers), key=r.key, value=r.value))
            for r in records
            if r.key == key.encode()
        ]

    records = await read_records(
        bootstrap_servers,
        topic,
        until=lambda records: wanted <= {event["type"] for event in parsed(records)},
    )
    events = parsed(records)
    for event in events:
        assert_matches_published_schema(event["type"], event.data)
    return events
