"""Publishes other services' events as they do (CloudEvents keyed by their aggregate), and
waits until monitoring applied them."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from kota_shared.events.envelope import EventData, OutgoingMessage, build_message
from kota_shared.testing.waiting import eventually
from monitoring.config import MonitoringSettings
from monitoring.db import EVENT_TABLES
from monitoring.readmodels import consumer_name

CONSUMER = consumer_name(1)
"""The live read models' consumer in the tests' app (generation 1)."""


@dataclass
class Feed:
    """Publishes events as their services would, and waits until monitoring applied them."""

    producer: AIOKafkaProducer
    engine: AsyncEngine
    sent: dict[str, OutgoingMessage] = field(default_factory=dict)

    async def send(self, data: EventData, *, subject: uuid.UUID | str, at: datetime) -> str:
        """Publish ``data`` keyed by ``subject`` (its aggregate); returns its event id."""
        message = build_message(
            data,
            source=f"/kota-live/{data.topic.split('.')[0]}",
            subject=str(subject),
            trace_headers={},
            time=at,
        )
        await self._publish(message)
        self.sent[str(message.event_id)] = message
        return str(message.event_id)

    async def resend(self, event_id: str) -> None:
        """Publish an event sent before once more, byte for byte: a redelivery."""
        await self._publish(self.sent[event_id])

    async def _publish(self, message: OutgoingMessage) -> None:
        """As the outbox relay sends it: the same key, value and headers."""
        await self.producer.send_and_wait(
            message.topic,
            value=message.value,
            key=message.key.encode(),
            headers=[(name, value.encode()) for name, value in message.headers.items()],
        )

    async def send_raw(self, topic: str, value: bytes, *, key: str) -> None:
        """Publish bytes as they are: a redelivery, or something that is not an event."""
        await self.producer.send_and_wait(topic, value=value, key=key.encode())

    async def applied(self, event_ids: list[str], *, consumer: str = CONSUMER) -> None:
        """Wait until monitoring's inbox holds every one of ``event_ids``: each was applied
        in the same transaction as its inbox row."""
        inbox = EVENT_TABLES.inbox

        async def held() -> set[str]:
            async with self.engine.connect() as connection:
                rows = await connection.scalars(
                    select(inbox.c.event_id).where(
                        inbox.c.consumer == consumer, inbox.c.event_id.in_(event_ids)
                    )
                )
                return set(rows)

        await eventually(
            held, until=lambda ids: ids == set(event_ids), within=60, what="events applied"
        )


async def unread(bootstrap_servers: str, *, consumer: str = CONSUMER) -> int:
    """Records on the watched topics past the offsets ``consumer`` has committed.

    It commits a batch's offsets after applying the batch, so at 0 whatever other tests
    published (redeliveries among it) has been applied, and cannot change a figure read now.
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(consumer)
    finally:
        await admin.close()
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers)
    await reader.start()
    try:
        await reader.topics()  # fetches the metadata that partitions_for_topic reads
        partitions = [
            TopicPartition(topic, partition)
            for topic in MonitoringSettings.model_fields["watched_topics"].default
            for partition in reader.partitions_for_topic(topic) or ()
        ]
        ends: dict[TopicPartition, int] = await reader.end_offsets(partitions)
    finally:
        await reader.stop()
    return sum(
        end - max(committed[tp].offset, 0) if tp in committed else end for tp, end in ends.items()
    )


async def duplicates_counted(client: httpx.AsyncClient) -> float:
    """``kota_events_consumed_total{outcome="duplicate"}`` of monitoring's consumer."""
    families = text_string_to_metric_families((await client.get("/metrics")).text)
    return sum(
        sample.value
        for family in families
        for sample in family.samples
        if sample.name == "kota_events_consumed_total"
        and sample.labels == {"consumer": CONSUMER, "outcome": "duplicate"}
    )
