"""Read what really went through Kafka in a test, from the start of a topic, with a deadline."""

from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from kota_shared.events.envelope import EventData, build_message
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
