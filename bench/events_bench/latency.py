"""Latency at a fixed rate: through the outbox, relay and ``EventConsumer``, then raw aiokafka.

Both runs send on the same schedule, to a consumer child process (consumer.py) that stamps
each event it receives; latency is that stamp minus the event's origin stamp (the writer's
commit returned, or ``send()`` was called), warm-up events excluded. CPU is counted from the
consumer's ready to the end of the run, drain included.
"""

import argparse
import asyncio
import time
from typing import Any

from aiokafka import AIOKafkaProducer
from benchkit.procfs import CpuMeter, CpuTimes
from sqlalchemy import insert, select

from kota_shared import tracing
from kota_shared.db import create_engine, create_sessionmaker
from kota_shared.events.envelope import build_message
from kota_shared.events.outbox import Outbox, OutboxRelay
from kota_shared.events.topics import ensure_topics
from kota_shared.supervision import Supervisor

from .config import log
from .consumer import ConsumerProcess, Received
from .databases import Databases
from .model import REQUEST_SPAN, SOURCE, TABLES, ReadingRecorded, producer_record, reading, readings
from .pacing import Paced, Schedule, run_paced
from .percentiles import summary_ms
from .servers import Infrastructure


def schedule_of(args: argparse.Namespace) -> Schedule:
    """The schedule both fixed-rate runs keep, from the options."""
    warmup = int(args.rate * args.warmup)
    return Schedule(
        rate=args.rate,
        warmup=warmup,
        count=warmup + int(args.rate * args.duration),
        concurrency=args.pool_size,
        max_backlog_seconds=args.max_backlog,
    )


def latency_report(*, paced: Paced, received: dict[int, float], measured: range) -> dict[str, Any]:
    """Latency of the measured (post-warm-up) events from their origin stamp to receipt."""
    sent = [n for n in measured if n in paced.origin]
    stamps = sorted(paced.origin[n] for n in sent)
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    latencies = [received[n] - paced.origin[n] for n in sent if n in received]
    return {
        "sent": len(sent),
        "received": len(latencies),
        "lost": len(sent) - len(latencies),
        "send_errors": paced.errors,
        "achieved_rate_per_s": round((len(stamps) - 1) / span, 1) if span else None,
        "skipped_as_unsustainable": paced.skipped,
        "rate_sustained": paced.skipped == 0,
        **summary_ms(latencies),
    }


def cpu_per_event(used: CpuTimes, paced: Paced, received: Received) -> dict[str, Any]:
    """Milliseconds of CPU per event sent: the writing process's (this one), the consuming
    child's (as it counted itself), and the servers' when the bench started them."""
    seconds = {
        "sending_process": used.this_process,
        "consuming_process": received.cpu_seconds,
        **used.trees,
    }
    events = max(len(paced.origin), 1)
    return {
        "ms_per_event": {k: round(1000 * v / events, 3) for k, v in seconds.items()},
        "machine_busy_pct": used.machine_busy_pct,
    }


def _stages(
    *, paced: Paced, received: Received, picked_up: dict[int, float], measured: range
) -> dict[str, Any]:
    """Where the outbox's latency goes: before the relay picked an event up, and after."""
    return {
        "commit_to_relay_pickup": summary_ms(
            [picked_up[n] - paced.origin[n] for n in measured if n in picked_up]
        ),
        "relay_pickup_to_handler": summary_ms(
            [
                received.handled[n] - picked_up[n]
                for n in measured
                if n in picked_up and n in received.handled
            ]
        ),
        "commit_to_handler_committed": summary_ms(
            [
                received.applied[n] - paced.origin[n]
                for n in measured
                if n in received.applied and n in paced.origin
            ]
        ),
    }


async def kota_latency(
    args: argparse.Namespace, infra: Infrastructure, dbs: Databases, run_id: str
) -> dict[str, Any]:
    """The writer commits a state row and an outbox row per event, its relay beside it."""
    topic = f"bench.readings.{run_id}"
    ReadingRecorded.topic = topic
    source_url = await dbs.create("writer")
    sink_url = await dbs.create("reader")
    await ensure_topics(infra.kafka, [topic])
    schedule = schedule_of(args)

    engine = create_engine(source_url, pool_size=args.pool_size)
    sessionmaker = create_sessionmaker(engine)
    outbox = Outbox(tables=TABLES, source=SOURCE)
    relay = OutboxRelay(
        tables=TABLES, sessionmaker=sessionmaker, bootstrap_servers=infra.kafka, poll_seconds=1.0
    )
    event_ids: dict[str, int] = {}

    async def record_reading(n: int) -> float:
        with tracing.tracer().start_as_current_span(REQUEST_SPAN):
            event = reading(n)
            async with sessionmaker() as session, session.begin():
                await session.execute(
                    insert(readings).values(sensor=event.sensor, value=event.value)
                )
                event_id = await outbox.add(session, event, subject=event.sensor)
        stamp = time.time()
        event_ids[event_id] = n
        return stamp

    log("outbox latency: %s", schedule.describe())
    consumer = await ConsumerProcess.start(
        mode="kota", topic=topic, kafka=infra.kafka, group=f"bench-{run_id}", db_url=sink_url
    )
    try:
        meter = CpuMeter(infra.server_pids)
        before = meter.sample()
        supervisor = Supervisor()
        supervisor.start("outbox-relay", relay.run)
        try:
            paced = await run_paced(schedule, label="outbox writer", op=record_reading)
            received = await consumer.results(len(paced.origin))
        finally:
            await supervisor.stop()
    finally:
        await consumer.close()
    try:
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    select(TABLES.outbox.c.event_id, TABLES.outbox.c.published_at)
                )
            ).all()
    finally:
        await engine.dispose()
    # published_at is the relay transaction's start: when the relay picked the row up.
    picked_up = {
        event_ids[str(row.event_id)]: row.published_at.timestamp()
        for row in rows
        if row.published_at is not None and str(row.event_id) in event_ids
    }
    measured = schedule.measured
    report = latency_report(paced=paced, received=received.handled, measured=measured)
    report["stages"] = _stages(
        paced=paced, received=received, picked_up=picked_up, measured=measured
    )
    report["writer"] = {
        "transaction": summary_ms([paced.duration[n] for n in measured if n in paced.duration]),
        "start_lateness": summary_ms([paced.lateness[n] for n in measured if n in paced.lateness]),
        "first_error": paced.first_error,
    }
    report["cpu"] = cpu_per_event(CpuMeter.used(before, meter.sample()), paced, received)
    return report


async def raw_latency(
    args: argparse.Namespace, infra: Infrastructure, run_id: str
) -> dict[str, Any]:
    """An idempotent producer sends the same bytes at the same rate; no database at all."""
    topic = f"bench.raw.{run_id}"
    await ensure_topics(infra.kafka, [topic])
    schedule = schedule_of(args)
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, enable_idempotence=True)
    deliveries: list[asyncio.Future[Any]] = []

    with tracing.tracer().start_as_current_span(REQUEST_SPAN):
        # Same size as the outbox's events, trace headers included.
        sample = build_message(
            reading(0), source=SOURCE, subject="s", trace_headers=tracing.inject_headers()
        )
    trace_headers = {k: v for k, v in sample.headers.items() if k != "content-type"}

    async def send(n: int) -> float:
        event = reading(n)
        message = build_message(
            event, source=SOURCE, subject=event.sensor, trace_headers=trace_headers
        )
        stamp = time.time()
        deliveries.append(await producer.send(topic, **producer_record(message)))
        return stamp

    log("raw aiokafka latency: %s", schedule.describe())
    consumer = await ConsumerProcess.start(
        mode="raw", topic=topic, kafka=infra.kafka, group=f"bench-raw-{run_id}"
    )
    try:
        await producer.start()
        meter = CpuMeter(infra.server_pids)
        before = meter.sample()
        try:
            paced = await run_paced(schedule, label="raw producer", op=send)
            outcomes = await asyncio.gather(*deliveries, return_exceptions=True)
        finally:
            await producer.stop()
        received = await consumer.results(len(paced.origin))
    finally:
        await consumer.close()
    failed = [n for n, outcome in enumerate(outcomes) if isinstance(outcome, BaseException)]
    report = latency_report(paced=paced, received=received.handled, measured=schedule.measured)
    report["delivery_failures"] = len(failed)
    report["cpu"] = cpu_per_event(CpuMeter.used(before, meter.sample()), paced, received)
    return report
