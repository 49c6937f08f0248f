"""Maximum throughput: the relay draining a full outbox, beside one raw idempotent producer.

``--relay-events`` outbox rows are inserted while no relay runs; then an ``OutboxRelay`` is
started and timed until the last row is marked published. The baseline sends the same messages
with one ``AIOKafkaProducer`` as fast as it can.
"""

import argparse
import asyncio
import time
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from kota_shared import tracing
from kota_shared.db import create_engine, create_sessionmaker
from kota_shared.events.envelope import OutgoingMessage, build_message
from kota_shared.events.outbox import OutboxRelay
from kota_shared.events.topics import ensure_topics
from kota_shared.supervision import Supervisor

from .config import log
from .databases import Databases
from .model import REQUEST_SPAN, SOURCE, TABLES, ReadingRecorded, producer_record, reading
from .servers import Infrastructure


async def _fill_outbox(engine: AsyncEngine, topic: str, messages: list[OutgoingMessage]) -> float:
    """Insert every message as an outbox row, in chunks; the seconds it took."""
    began = time.perf_counter()
    chunk = 5_000
    for offset in range(0, len(messages), chunk):
        async with engine.begin() as connection:
            await connection.execute(
                insert(TABLES.outbox),
                [
                    {
                        "event_id": m.event_id,
                        "topic": topic,
                        "key": m.key,
                        "event_type": ReadingRecorded.event_type,
                        "value": m.value,
                        "headers": m.headers,
                    }
                    for m in messages[offset : offset + chunk]
                ],
            )
    return time.perf_counter() - began


async def _drain(engine: AsyncEngine, relay: OutboxRelay, *, limit_seconds: float) -> float:
    """Seconds from starting ``relay`` (its producer's connect included) until the last outbox
    row has published_at."""
    async with engine.connect() as connection:
        last_seq = await connection.scalar(select(func.max(TABLES.outbox.c.seq)))
    began = time.perf_counter()
    supervisor = Supervisor()
    supervisor.start("outbox-relay", relay.run)
    try:
        async with asyncio.timeout(limit_seconds), engine.connect() as connection:
            while True:
                done = await connection.scalar(
                    select(TABLES.outbox.c.published_at).where(TABLES.outbox.c.seq == last_seq)
                )
                await connection.commit()
                if done is not None:
                    return time.perf_counter() - began
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise TimeoutError(f"the relay did not drain the outbox in {limit_seconds:g} s") from None
    finally:
        await supervisor.stop()


async def _raw_producer(
    kafka: str, topic: str, messages: list[OutgoingMessage]
) -> tuple[float, int]:
    """Seconds from the first send() to the last acknowledgement, and the failed deliveries."""
    producer = AIOKafkaProducer(bootstrap_servers=kafka, enable_idempotence=True)
    await producer.start()
    try:
        began = time.perf_counter()
        deliveries = [await producer.send(topic, **producer_record(m)) for m in messages]
        outcomes = await asyncio.gather(*deliveries, return_exceptions=True)
        seconds = time.perf_counter() - began
    finally:
        await producer.stop()
    return seconds, sum(isinstance(o, BaseException) for o in outcomes)


async def relay_throughput(
    args: argparse.Namespace, infra: Infrastructure, dbs: Databases, run_id: str
) -> dict[str, Any]:
    """Events per second through the relay and through the raw producer, and their ratio."""
    topic = f"bench.relay.{run_id}"
    raw_topic = f"bench.rawmax.{run_id}"
    await ensure_topics(infra.kafka, [topic, raw_topic])
    url = await dbs.create("relay")
    total = args.relay_events
    with tracing.tracer().start_as_current_span(REQUEST_SPAN):
        trace_headers = tracing.inject_headers()
    messages = []
    for n in range(total):
        event = reading(n)
        messages.append(
            build_message(event, source=SOURCE, subject=event.sensor, trace_headers=trace_headers)
        )

    engine = create_engine(url)
    try:
        log("relay throughput: filling the outbox with %d events", total)
        fill_seconds = await _fill_outbox(engine, topic, messages)
        relay = OutboxRelay(
            tables=TABLES,
            sessionmaker=create_sessionmaker(engine),
            bootstrap_servers=infra.kafka,
            batch_size=args.relay_batch_size,
        )
        log("relay throughput: draining %d events", total)
        relay_seconds = await _drain(engine, relay, limit_seconds=args.relay_timeout)
        async with engine.connect() as connection:
            unpublished = await connection.scalar(
                select(func.count()).where(TABLES.outbox.c.published_at.is_(None))
            )
            batches = await connection.scalar(
                select(func.count(TABLES.outbox.c.published_at.distinct()))
            )
    finally:
        await engine.dispose()

    log("raw aiokafka throughput: sending %d events", total)
    raw_seconds, raw_failures = await _raw_producer(infra.kafka, raw_topic, messages)

    relay_rate = total / relay_seconds
    raw_rate = total / raw_seconds
    return {
        "events": total,
        "kota_relay_events_per_s": round(relay_rate, 1),
        "raw_aiokafka_events_per_s": round(raw_rate, 1),
        "ratio": round(relay_rate / raw_rate, 3),
        "kota_relay_seconds": round(relay_seconds, 3),
        "raw_aiokafka_seconds": round(raw_seconds, 3),
        "relay_batch_size": args.relay_batch_size,
        "relay_batches": batches,
        "relay_left_unpublished": unpublished,
        "raw_delivery_failures": raw_failures,
        "outbox_fill_events_per_s": round(total / fill_seconds, 1),
        "payload_bytes": len(messages[0].value) if messages else 0,
    }
