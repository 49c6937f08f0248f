"""The log: the synthetic city's events published on the run's topics, as fast as they go.

Each message is what the outbox relay would send for the event (``build_message``: the
CloudEvent as the value, its aggregate's id as the key, the CloudEvents headers), produced with
batching and a linger, since loading the log is not what is measured.
"""

import asyncio
import collections
import time
from collections.abc import Iterable
from typing import Any

from aiokafka import AIOKafkaProducer

from kota_shared.events.envelope import OutgoingMessage, build_message

from .config import log
from .synthetic import Emitted

SEND_WINDOW = 20_000
"""Sends in flight before waiting for their acknowledgements."""


def message_of(event: Emitted) -> OutgoingMessage:
    """``event`` as its service's outbox relay publishes it."""
    service = event.data.topic.split(".")[0]
    return build_message(
        event.data,
        source=f"/kota-live/{service}",
        subject=event.subject,
        trace_headers={},
        event_id=event.event_id,
        time=event.at,
    )


def record_of(message: OutgoingMessage) -> dict[str, Any]:
    """The producer arguments the relay uses: the same key, value and headers."""
    return {
        "value": message.value,
        "key": message.key.encode(),
        "headers": [(name, value.encode()) for name, value in message.headers.items()],
    }


async def publish(
    kafka: str, topics: dict[str, str], events: Iterable[Emitted], *, expected: int
) -> dict[str, Any]:
    """Publish every event on ``topics[its topic]``; what was sent, by topic and type."""
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka, linger_ms=50, max_batch_size=512 * 1024, acks=1
    )
    await producer.start()
    by_topic: collections.Counter[str] = collections.Counter()
    by_type: collections.Counter[str] = collections.Counter()
    sent = payload = 0
    began = time.perf_counter()
    try:
        pending: list[asyncio.Future[Any]] = []
        for event in events:
            message = message_of(event)
            pending.append(await producer.send(topics[message.topic], **record_of(message)))
            by_topic[message.topic] += 1
            by_type[event.data.event_type] += 1
            sent += 1
            payload += len(message.value)
            if len(pending) >= SEND_WINDOW:
                await asyncio.gather(*pending)
                pending.clear()
                if sent % 100_000 < SEND_WINDOW:
                    log("log: %d of about %d events published", sent, expected)
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    seconds = time.perf_counter() - began
    return {
        "events": sent,
        "seconds": round(seconds, 1),
        "events_per_s": round(sent / seconds, 1),
        "mean_value_bytes": round(payload / max(sent, 1)),
        "by_topic": dict(by_topic.most_common()),
        "by_type": dict(by_type.most_common()),
    }
