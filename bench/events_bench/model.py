"""A miniature service: a sensor reading is recorded (state row + event) and applied elsewhere.

The writer's database holds ``readings`` and the outbox, the consumer's ``applied_readings``
and the inbox; every database of the run is created with all of them (``metadata``).
"""

import random
from typing import Any, ClassVar

from sqlalchemy import BigInteger, Column, DateTime, Identity, Integer, String, Table, func

from kota_shared.db import new_metadata
from kota_shared.events.envelope import EventData, OutgoingMessage
from kota_shared.events.tables import event_tables

SOURCE = "/kota-live/bench"  # the events' CloudEvents source
SENSORS = 100  # distinct aggregates (Kafka keys), spread over the topic's partitions
# The request a service would be serving while it records a reading: its trace context
# travels in the event, as it does in production.
REQUEST_SPAN = "POST /readings"

metadata = new_metadata()
TABLES = event_tables(metadata)
readings = Table(
    "readings",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("sensor", String(64), nullable=False),
    Column("value", Integer, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
applied_readings = Table(
    "applied_readings",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("sensor", String(64), nullable=False),
    Column("n", Integer, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


class ReadingRecorded(EventData):
    event_type: ClassVar[str] = "bench.reading.recorded.v1"
    topic: ClassVar[str] = "bench.readings"  # replaced by a topic of the run's own

    n: int
    sensor: str
    value: int


def sensor_of(n: int) -> str:
    return f"sensor-{n % SENSORS:03d}"


def reading(n: int) -> ReadingRecorded:
    """Event number ``n``: its number is how both sides of a run match its stamps."""
    return ReadingRecorded(n=n, sensor=sensor_of(n), value=random.randrange(1_000_000))


def producer_record(message: OutgoingMessage) -> dict[str, Any]:
    """``AIOKafkaProducer.send``'s value, key and headers for ``message``: the raw baselines send
    the bytes the outbox relay sends."""
    return {
        "value": message.value,
        "key": message.key.encode(),
        "headers": [(k, v.encode()) for k, v in message.headers.items()],
    }
