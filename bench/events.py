"""Event delivery benchmark: outbox → relay → Kafka → idempotent consumer, beside raw aiokafka.

Run it from the repository root (``make bench`` does the same with the defaults):

    uv run python bench/events.py                  # 60 s at 1,000 events/s, 50,000 relay events
    uv run python bench/events.py --duration 10    # a quick run
    uv run python bench/events.py --help           # every knob

It starts its own PostgreSQL and Kafka in ``.kota/bench`` (stopped at the end, and removed
unless the run failed) unless ``KOTA_BENCH_POSTGRES_URL`` (a superuser URL on the maintenance
database) and ``KOTA_BENCH_KAFKA`` (bootstrap servers) name running ones; then it creates
databases and topics of its own there and drops the databases afterwards. One JSON object goes
to stdout, progress to stderr.

What it measures, all in one run on one machine:

1. Latency at a fixed rate. A writer commits one event per small transaction (a state row and
   an outbox row, as a service's request would) on an absolute schedule of ``--rate`` per
   second for ``--warmup`` + ``--duration`` seconds, stamping the wall clock right after each
   commit. The ``OutboxRelay`` runs in the writer's process, as it does in a service. An
   ``EventConsumer`` in a second process stamps the wall clock on entering its handler.
   Latency = handler stamp - commit stamp, warm-up events excluded.
2. The same with raw aiokafka: an idempotent producer sends the same bytes at the same rate, a
   consumer group (manual offset commits) in a second process stamps each record it reads.
3. Maximum throughput: ``--relay-events`` outbox rows are inserted while no relay runs, then an
   ``OutboxRelay`` is started and timed until every row is marked published. The baseline is
   one idempotent ``AIOKafkaProducer`` sending the same messages as fast as it can.

Goals (from the issue): p99 ≤ 50 ms at 1,000 events/s; relay ≥ 0.3x raw aiokafka.
"""

import argparse
import asyncio
import contextlib
import importlib.metadata
import json
import logging
import math
import os
import platform
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Self

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Integer,
    String,
    Table,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from kota_shared import tracing
from kota_shared.db import create_engine, create_sessionmaker, new_metadata
from kota_shared.events.consumer import EventConsumer
from kota_shared.events.envelope import EventData, OutgoingMessage, ReceivedEvent, build_message
from kota_shared.events.outbox import Outbox, OutboxRelay
from kota_shared.events.tables import event_tables
from kota_shared.events.topics import DEFAULT_PARTITIONS, ensure_topics
from kota_shared.supervision import Supervisor

SCRIPT = Path(__file__).resolve()
REPO = SCRIPT.parents[1]
STATE_DIR = REPO / ".kota" / "bench"
SOURCE = "/kota-live/bench"
SENSORS = 100  # distinct aggregates (Kafka keys), spread over the topic's partitions
READY_TIMEOUT = 60.0
DRAIN_STALL_SECONDS = 20.0  # a consumer that receives nothing new for this long is done

_log = logging.getLogger("bench.events")

# ---------------------------------------------------------------------------------------------
# A miniature service: a sensor reading is recorded (state row + event) and applied elsewhere.

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
    return ReadingRecorded(n=n, sensor=sensor_of(n), value=random.randrange(1_000_000))


def log(message: str, *args: object) -> None:
    _log.info(message, *args)


# ---------------------------------------------------------------------------------------------
# Statistics


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    index = max(0, math.ceil(p / 100 * len(ordered)) - 1)
    return ordered[index]


def summary_ms(seconds: list[float]) -> dict[str, float | int | None]:
    if not seconds:
        return {"count": 0, "p50_ms": None, "p90_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(seconds)
    return {
        "count": len(ordered),
        "mean_ms": round(1000 * sum(ordered) / len(ordered), 2),
        "p50_ms": round(1000 * percentile(ordered, 50), 2),
        "p90_ms": round(1000 * percentile(ordered, 90), 2),
        "p99_ms": round(1000 * percentile(ordered, 99), 2),
        "p999_ms": round(1000 * percentile(ordered, 99.9), 2),
        "max_ms": round(1000 * ordered[-1], 2),
    }


# ---------------------------------------------------------------------------------------------
# Infrastructure


@dataclass(frozen=True)
class Infrastructure:
    postgres_url: str  # superuser, maintenance database
    kafka: str
    started_here: bool
    kafka_pid: int | None = None  # known when started here, for CPU accounting
    postgres_dir: Path | None = None


def kafka_version() -> str | None:
    pom = REPO / "devtools" / "kafka" / "pom.xml"
    found = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom.read_text())
    return found.group(1) if found else None


@contextlib.contextmanager
def infrastructure() -> Iterator[Infrastructure]:
    """The servers named by the environment, or a PostgreSQL and a Kafka of our own."""
    postgres_url = os.environ.get("KOTA_BENCH_POSTGRES_URL")
    kafka = os.environ.get("KOTA_BENCH_KAFKA")
    if postgres_url or kafka:
        if not (postgres_url and kafka):
            raise SystemExit("set both KOTA_BENCH_POSTGRES_URL and KOTA_BENCH_KAFKA, or neither")
        yield Infrastructure(postgres_url=postgres_url, kafka=kafka, started_here=False)
        return

    from kota_dev import kafka as kafka_dev
    from kota_dev import postgres as postgres_dev

    # Leftovers of an interrupted run must stop before their data directories go.
    kafka_dev.stop_broker_at(STATE_DIR / "kafka")
    if (STATE_DIR / "postgres" / "postmaster.pid").is_file():
        postgres_dev.stop_cluster(postgres_dev.PostgresCluster(STATE_DIR / "postgres", port=0))
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    cache_dir = Path(os.environ.get("KOTA_CACHE_DIR", REPO / ".kota" / "cache"))

    log("starting PostgreSQL and Kafka in %s", STATE_DIR)
    cluster = postgres_dev.start_cluster(STATE_DIR / "postgres")
    try:
        broker = kafka_dev.start_broker(STATE_DIR / "kafka", cache_dir=cache_dir)
        try:
            yield Infrastructure(
                postgres_url=cluster.url(),
                kafka=broker.bootstrap_servers,
                started_here=True,
                kafka_pid=broker.process.pid if broker.process else None,
                postgres_dir=cluster.data_dir,
            )
        finally:
            log("stopping Kafka")
            kafka_dev.stop_broker(broker)
    finally:
        log("stopping PostgreSQL")
        postgres_dev.stop_cluster(cluster)
    # Reached only after a clean run: a failed one leaves its servers' logs to read.
    shutil.rmtree(STATE_DIR, ignore_errors=True)


def _cpu_seconds(pid: int, *, with_reaped_children: bool = False) -> float:
    """User + system CPU of a process (all its threads) from /proc; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if with_reaped_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _postgres_cpu_seconds(data_dir: Path) -> float:
    """The postmaster, its live backends, and the backends it has already reaped."""
    try:
        postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return 0.0
    total = _cpu_seconds(postmaster, with_reaped_children=True)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rpartition(")")[2].split()[1])
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            continue
        if ppid == postmaster:
            total += _cpu_seconds(int(stat.parent.name))
    return total


def _machine_busy_and_total() -> tuple[float, float]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    total = sum(values[:8])  # guest time is already counted in user
    return total - idle, total


class CpuMeter:
    """CPU used during a phase: this process, the bench's servers, and the whole machine."""

    def __init__(self, infra: Infrastructure) -> None:
        self._infra = infra
        self._start = self._sample()

    def _sample(self) -> dict[str, float]:
        busy, total = _machine_busy_and_total()
        sample = {"self": time.process_time(), "machine_busy": busy, "machine_total": total}
        if self._infra.kafka_pid is not None:
            sample["kafka"] = _cpu_seconds(self._infra.kafka_pid)
        if self._infra.postgres_dir is not None:
            sample["postgres"] = _postgres_cpu_seconds(self._infra.postgres_dir)
        return sample

    def report(self, *, events: int, consumer_cpu_seconds: float) -> dict[str, Any]:
        end = self._sample()
        used = {key: end[key] - self._start[key] for key in end}
        per_event: dict[str, float] = {
            "sending_process": used["self"],
            "consuming_process": consumer_cpu_seconds,
        }
        per_event.update({key: used[key] for key in ("postgres", "kafka") if key in used})
        return {
            "ms_per_event": {k: round(1000 * v / max(events, 1), 3) for k, v in per_event.items()},
            "machine_busy_pct": round(
                100 * used["machine_busy"] / max(used["machine_total"], 1), 1
            ),
        }


class Databases:
    """Databases of this run on the cluster, created with the bench tables, dropped at exit."""

    def __init__(self, admin_url: str, run_id: str) -> None:
        self._admin_url = admin_url
        self._run_id = run_id
        self._created: list[str] = []

    async def create(self, role: str) -> str:
        name = f"bench_{role}_{self._run_id}"
        admin = create_async_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as connection:
                await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            await admin.dispose()
        self._created.append(name)
        url = make_url(self._admin_url).set(database=name).render_as_string(hide_password=False)
        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.run_sync(metadata.create_all)
        finally:
            await engine.dispose()
        return url

    async def drop_all(self) -> None:
        admin = create_async_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as connection:
                for name in self._created:
                    await connection.exec_driver_sql(
                        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                    )
        finally:
            await admin.dispose()

    async def server_version(self) -> str:
        admin = create_async_engine(self._admin_url)
        try:
            async with admin.connect() as connection:
                return str(await connection.scalar(text("SHOW server_version")))
        finally:
            await admin.dispose()


# ---------------------------------------------------------------------------------------------
# The consuming side, in a process of its own.
#
# Protocol on the child's stdin/stdout, one JSON object a line: the child says {"ready": true}
# once its consumer owns every partition; the parent sends {"expect": N} when it has sent N
# events; the child answers {"done": true} after writing what it received to results_path.


@dataclass
class Received:
    """Wall-clock stamps by event number: the handler's entry, and (kota) its commit."""

    handled: dict[int, float] = field(default_factory=dict)
    applied: dict[int, float] = field(default_factory=dict)
    cpu_seconds: float = 0.0  # the consuming process's, from ready to done


async def _child_kota(config: dict[str, Any], received: Received) -> Callable[[], Awaitable[None]]:
    ReadingRecorded.topic = config["topic"]
    tracing.setup_tracing("bench-consumer")
    engine = create_engine(config["db_url"])
    sessionmaker = create_sessionmaker(engine)

    async def apply_reading(session: AsyncSession, event: ReceivedEvent) -> None:
        stamp = time.time()
        assert isinstance(event.data, ReadingRecorded)
        received.handled.setdefault(event.data.n, stamp)
        await session.execute(
            insert(applied_readings).values(
                event_id=event.id, sensor=event.data.sensor, n=event.data.n
            )
        )

    def after_apply(event: ReceivedEvent) -> None:
        assert isinstance(event.data, ReadingRecorded)
        received.applied.setdefault(event.data.n, time.time())

    consumer = EventConsumer(
        name=config["group"],
        topics=[config["topic"]],
        bootstrap_servers=config["kafka"],
        sessionmaker=sessionmaker,
        tables=TABLES,
        handlers={ReadingRecorded: apply_reading},
        after_apply=after_apply,
    )
    supervisor = Supervisor()
    supervisor.start("consumer", consumer.run)

    async def stop() -> None:
        await supervisor.stop()
        await engine.dispose()

    deadline = time.monotonic() + READY_TIMEOUT
    while len(consumer.assigned_partitions) < config["partitions"]:
        if time.monotonic() > deadline:
            await stop()
            raise TimeoutError("the consumer was not assigned every partition")
        await asyncio.sleep(0.05)
    return stop


async def _child_raw(config: dict[str, Any], received: Received) -> Callable[[], Awaitable[None]]:
    consumer = AIOKafkaConsumer(
        config["topic"],
        bootstrap_servers=config["kafka"],
        group_id=config["group"],
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",  # as EventConsumer reads
    )
    await consumer.start()

    async def consume() -> None:
        while True:
            batch = await consumer.getmany(timeout_ms=500, max_records=500)
            for records in batch.values():
                for record in records:
                    stamp = time.time()
                    n = json.loads(record.value)["data"]["n"]
                    received.handled.setdefault(n, stamp)
            if batch:
                await consumer.commit()

    task = asyncio.create_task(consume())

    async def stop() -> None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await consumer.stop()

    deadline = time.monotonic() + READY_TIMEOUT
    while len(consumer.assignment()) < config["partitions"]:
        if time.monotonic() > deadline or task.done():
            await stop()
            raise TimeoutError("the raw consumer was not assigned every partition")
        await asyncio.sleep(0.05)
    return stop


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def child_main(config: dict[str, Any]) -> None:
    received = Received()
    start = _child_kota if config["mode"] == "kota" else _child_raw
    stop = await start(config, received)
    try:
        _say({"ready": True})
        cpu_at_ready = time.process_time()
        line = await asyncio.to_thread(sys.stdin.readline)
        expected = int(json.loads(line)["expect"]) if line else 0
        last_count, last_change = -1, time.monotonic()
        while len(received.handled) < expected:
            if len(received.handled) != last_count:
                last_count, last_change = len(received.handled), time.monotonic()
            elif time.monotonic() - last_change > DRAIN_STALL_SECONDS:
                log("consumer gave up waiting: %d of %d received", last_count, expected)
                break
            await asyncio.sleep(0.05)
        # Let the last handler's transaction (and after_apply) finish before stopping.
        await asyncio.sleep(0.5)
    finally:
        await stop()
    stamps = {
        "handled": list(received.handled.items()),
        "applied": list(received.applied.items()),
        "cpu_seconds": time.process_time() - cpu_at_ready,
    }
    await asyncio.to_thread(Path(config["results_path"]).write_text, json.dumps(stamps))
    _say({"done": True})


class ConsumerProcess:
    """The parent's handle on a consuming child process."""

    def __init__(self, process: asyncio.subprocess.Process, results_path: Path) -> None:
        self._process = process
        self._results_path = results_path

    @classmethod
    async def start(cls, config: dict[str, Any]) -> Self:
        handle, name = tempfile.mkstemp(prefix="kota-bench-", suffix=".json")
        os.close(handle)  # the child writes it; we only need the name
        results_path = Path(name)
        config = {**config, "results_path": str(results_path)}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(SCRIPT),
            "_consumer",
            json.dumps(config),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        child = cls(process, results_path)
        try:
            await child._expect_line("ready", READY_TIMEOUT + 30)
        except BaseException:
            await child.close()
            raise
        return child

    async def _expect_line(self, key: str, within: float) -> None:
        assert self._process.stdout is not None
        line = await asyncio.wait_for(self._process.stdout.readline(), within)
        if not line:
            code = await self._process.wait()
            raise RuntimeError(f"the consumer process exited (code {code}) before {key!r}")
        if key not in json.loads(line):
            raise RuntimeError(f"unexpected line from the consumer process: {line!r}")

    async def results(self, expected: int) -> Received:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"expect": expected}).encode() + b"\n")
        await self._process.stdin.drain()
        await self._expect_line("done", 600)
        await self._process.wait()
        raw = json.loads(await asyncio.to_thread(self._results_path.read_text))
        return Received(
            handled={int(n): t for n, t in raw["handled"]},
            applied={int(n): t for n, t in raw["applied"]},
            cpu_seconds=raw["cpu_seconds"],
        )

    async def close(self) -> None:
        if self._process.returncode is None:
            self._process.terminate()
            try:
                await asyncio.wait_for(self._process.wait(), 10)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()
        self._results_path.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# Open-loop pacing: operation i is due at start + i / rate, however long earlier ones took.


@dataclass
class Paced:
    origin: dict[int, float] = field(default_factory=dict)  # after commit / before send()
    lateness: dict[int, float] = field(default_factory=dict)  # began this long after due
    duration: dict[int, float] = field(default_factory=dict)  # took this long
    errors: int = 0
    first_error: str | None = None
    skipped: int = 0  # due while max_backlog_seconds of events were already queued


async def run_paced(
    *,
    rate: float,
    count: int,
    concurrency: int,
    max_backlog_seconds: float,
    label: str,
    op: Callable[[int], Awaitable[float]],
) -> Paced:
    loop = asyncio.get_running_loop()
    slots = asyncio.Semaphore(concurrency)
    result = Paced()
    pending: set[asyncio.Task[None]] = set()

    async def one(n: int, due: float) -> None:
        async with slots:
            began = loop.time()
            result.lateness[n] = began - due
            try:
                result.origin[n] = await op(n)
            except Exception as exc:
                result.errors += 1
                result.first_error = result.first_error or repr(exc)
            result.duration[n] = loop.time() - began

    start = loop.time() + 0.05
    report_every = max(1, int(rate * 10))
    for n in range(count):
        due = start + n / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if n and n % report_every == 0:
            log(
                "%s: %d of %d due, %d queued, %d skipped",
                label,
                n,
                count,
                len(pending),
                result.skipped,
            )
        if len(pending) >= rate * max_backlog_seconds:
            # The machine cannot sustain the rate: shed load rather than let the queue (and
            # the run) grow without end. What is sent still runs as fast as it can.
            result.skipped += 1
            continue
        task = asyncio.create_task(one(n, due))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    return result


def latency_report(
    *, paced: Paced, received: dict[int, float], measured_from: int, count: int
) -> dict[str, Any]:
    """Latency of the measured (post-warm-up) events from their origin stamp to receipt."""
    measured = [n for n in range(measured_from, count) if n in paced.origin]
    stamps = sorted(paced.origin[n] for n in measured)
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    latencies = [received[n] - paced.origin[n] for n in measured if n in received]
    return {
        "sent": len(measured),
        "received": len(latencies),
        "lost": len(measured) - len(latencies),
        "send_errors": paced.errors,
        "achieved_rate_per_s": round((len(stamps) - 1) / span, 1) if span else None,
        "skipped_as_unsustainable": paced.skipped,
        "rate_sustained": paced.skipped == 0,
        **summary_ms(latencies),
    }


# ---------------------------------------------------------------------------------------------
# 1. Latency at a fixed rate through the outbox


async def kota_latency(
    args: argparse.Namespace, infra: Infrastructure, dbs: Databases, run_id: str
) -> dict[str, Any]:
    topic = f"bench.readings.{run_id}"
    ReadingRecorded.topic = topic
    source_url = await dbs.create("writer")
    sink_url = await dbs.create("reader")
    await ensure_topics(infra.kafka, [topic])
    warm = int(args.rate * args.warmup)
    count = warm + int(args.rate * args.duration)

    engine = create_engine(source_url, pool_size=args.pool_size)
    sessionmaker = create_sessionmaker(engine)
    outbox = Outbox(tables=TABLES, source=SOURCE)
    relay = OutboxRelay(
        tables=TABLES, sessionmaker=sessionmaker, bootstrap_servers=infra.kafka, poll_seconds=1.0
    )
    event_ids: dict[str, int] = {}

    async def record_reading(n: int) -> float:
        # The span stands in for the HTTP request a service would be serving: its trace
        # context travels in the event, as it does in production.
        with tracing.tracer().start_as_current_span("POST /readings"):
            event = reading(n)
            async with sessionmaker() as session, session.begin():
                await session.execute(
                    insert(readings).values(sensor=event.sensor, value=event.value)
                )
                event_id = await outbox.add(session, event, subject=event.sensor)
        stamp = time.time()
        event_ids[event_id] = n
        return stamp

    log("outbox latency: %d events at %g/s (%d warm-up)", count, args.rate, warm)
    consumer = await ConsumerProcess.start(
        {
            "mode": "kota",
            "topic": topic,
            "kafka": infra.kafka,
            "group": f"bench-{run_id}",
            "db_url": sink_url,
            "partitions": DEFAULT_PARTITIONS,
        }
    )
    try:
        cpu = CpuMeter(infra)
        supervisor = Supervisor()
        supervisor.start("outbox-relay", relay.run)
        try:
            paced = await run_paced(
                rate=args.rate,
                count=count,
                concurrency=args.pool_size,
                max_backlog_seconds=args.max_backlog,
                label="outbox writer",
                op=record_reading,
            )
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
    measured = range(warm, count)
    report = latency_report(paced=paced, received=received.handled, measured_from=warm, count=count)
    report["stages"] = {
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
    report["writer"] = {
        "transaction": summary_ms([paced.duration[n] for n in measured if n in paced.duration]),
        "start_lateness": summary_ms([paced.lateness[n] for n in measured if n in paced.lateness]),
        "first_error": paced.first_error,
    }
    report["cpu"] = cpu.report(events=len(paced.origin), consumer_cpu_seconds=received.cpu_seconds)
    return report


# ---------------------------------------------------------------------------------------------
# 2. The same with raw aiokafka


def outgoing(n: int, topic: str) -> OutgoingMessage:
    event = reading(n)
    message = build_message(event, source=SOURCE, subject=event.sensor, trace_headers={})
    return OutgoingMessage(
        event_id=message.event_id,
        topic=topic,
        key=message.key,
        value=message.value,
        headers=message.headers,
    )


async def raw_latency(
    args: argparse.Namespace, infra: Infrastructure, run_id: str
) -> dict[str, Any]:
    topic = f"bench.raw.{run_id}"
    await ensure_topics(infra.kafka, [topic])
    warm = int(args.rate * args.warmup)
    count = warm + int(args.rate * args.duration)
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, enable_idempotence=True)
    deliveries: list[asyncio.Future[Any]] = []

    with tracing.tracer().start_as_current_span("POST /readings"):
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
        deliveries.append(
            await producer.send(
                topic,
                value=message.value,
                key=message.key.encode(),
                headers=[(k, v.encode()) for k, v in message.headers.items()],
            )
        )
        return stamp

    log("raw aiokafka latency: %d events at %g/s (%d warm-up)", count, args.rate, warm)
    consumer = await ConsumerProcess.start(
        {
            "mode": "raw",
            "topic": topic,
            "kafka": infra.kafka,
            "group": f"bench-raw-{run_id}",
            "partitions": DEFAULT_PARTITIONS,
        }
    )
    try:
        await producer.start()
        cpu = CpuMeter(infra)
        try:
            paced = await run_paced(
                rate=args.rate,
                count=count,
                concurrency=args.pool_size,
                max_backlog_seconds=args.max_backlog,
                label="raw producer",
                op=send,
            )
            outcomes = await asyncio.gather(*deliveries, return_exceptions=True)
        finally:
            await producer.stop()
        received = await consumer.results(len(paced.origin))
    finally:
        await consumer.close()
    failed = [n for n, outcome in enumerate(outcomes) if isinstance(outcome, BaseException)]
    report = latency_report(paced=paced, received=received.handled, measured_from=warm, count=count)
    report["delivery_failures"] = len(failed)
    report["cpu"] = cpu.report(events=len(paced.origin), consumer_cpu_seconds=received.cpu_seconds)
    return report


# ---------------------------------------------------------------------------------------------
# 3. Maximum throughput: the relay draining a full outbox, and a raw producer


async def relay_throughput(
    args: argparse.Namespace, infra: Infrastructure, dbs: Databases, run_id: str
) -> dict[str, Any]:
    topic = f"bench.relay.{run_id}"
    raw_topic = f"bench.rawmax.{run_id}"
    await ensure_topics(infra.kafka, [topic, raw_topic])
    url = await dbs.create("relay")
    total = args.relay_events
    with tracing.tracer().start_as_current_span("POST /readings"):
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
        began = time.perf_counter()
        chunk = 5_000
        for offset in range(0, total, chunk):
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
        fill_seconds = time.perf_counter() - began
        async with engine.connect() as connection:
            last_seq = await connection.scalar(select(func.max(TABLES.outbox.c.seq)))

        sessionmaker = create_sessionmaker(engine)
        relay = OutboxRelay(
            tables=TABLES,
            sessionmaker=sessionmaker,
            bootstrap_servers=infra.kafka,
            batch_size=args.relay_batch_size,
        )
        log("relay throughput: draining %d events", total)
        began = time.perf_counter()
        supervisor = Supervisor()
        supervisor.start("outbox-relay", relay.run)
        try:
            deadline = began + args.relay_timeout
            async with engine.connect() as connection:
                while True:
                    done = await connection.scalar(
                        select(TABLES.outbox.c.published_at).where(TABLES.outbox.c.seq == last_seq)
                    )
                    await connection.commit()
                    if done is not None:
                        break
                    if time.perf_counter() > deadline:
                        raise TimeoutError(f"the relay did not drain {total} events in time")
                    await asyncio.sleep(0.01)
            relay_seconds = time.perf_counter() - began
        finally:
            await supervisor.stop()
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
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, enable_idempotence=True)
    await producer.start()
    try:
        began = time.perf_counter()
        deliveries = [
            await producer.send(
                raw_topic,
                value=m.value,
                key=m.key.encode(),
                headers=[(k, v.encode()) for k, v in m.headers.items()],
            )
            for m in messages
        ]
        outcomes = await asyncio.gather(*deliveries, return_exceptions=True)
        raw_seconds = time.perf_counter() - began
    finally:
        await producer.stop()
    raw_failures = sum(isinstance(o, BaseException) for o in outcomes)

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


# ---------------------------------------------------------------------------------------------


def cpu_pressure() -> float | None:
    """Share of the last minute in which runnable tasks waited for a CPU (Linux PSI), in %."""
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (FileNotFoundError, IndexError, PermissionError):
        return None
    found = re.search(r"avg60=([0-9.]+)", some)
    return float(found.group(1)) if found else None


def versions() -> dict[str, str]:
    found = {}
    for package in ("aiokafka", "sqlalchemy", "asyncpg", "pydantic"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[package] = importlib.metadata.version(package)
    return found


async def bench(args: argparse.Namespace, infra: Infrastructure) -> dict[str, Any]:
    tracing.setup_tracing("bench-writer")
    run_id = uuid.uuid4().hex[:8]
    dbs = Databases(infra.postgres_url, run_id)
    load_before = os.getloadavg()
    pressure_before = cpu_pressure()
    try:
        postgres_version = await dbs.server_version()
        kota = await kota_latency(args, infra, dbs, run_id)
        raw = await raw_latency(args, infra, run_id)
        throughput = (
            await relay_throughput(args, infra, dbs, run_id) if args.relay_events > 0 else None
        )
    finally:
        if not infra.started_here:
            await dbs.drop_all()
    p99 = kota.get("p99_ms")
    ratio = throughput["ratio"] if throughput else None
    return {
        "bench": "events",
        "machine": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "kafka": kafka_version(),
            "postgres": postgres_version,
            "libraries": versions(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "cpu_pressure_avg60_pct_before": pressure_before,
            "cpu_pressure_avg60_pct_after": cpu_pressure(),
            "infrastructure": "started by the bench" if infra.started_here else "from environment",
        },
        "params": {
            "rate_per_s": args.rate,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "relay_events": args.relay_events,
            "relay_batch_size": args.relay_batch_size,
            "writer_concurrency": args.pool_size,
            "max_backlog_s": args.max_backlog,
            "partitions": DEFAULT_PARTITIONS,
        },
        "latency_at_rate": {"kota_outbox": kota, "raw_aiokafka": raw},
        "max_throughput": throughput,
        "goals": {
            "p99_ms_le_50": p99 is not None and p99 <= 50 and kota["lost"] == 0,
            "relay_ratio_ge_0_3": ratio is not None and ratio >= 0.3,
        },
        "notes": [
            "Latency is wall clock (time.time()) on one machine: outbox = handler entry minus "
            "the moment the writer's commit returned; raw = record read minus the moment "
            "send() was called. Warm-up events are excluded; lost counts measured events "
            "never seen by the consumer.",
            "The writer and its OutboxRelay share one process and event loop, as in a service; "
            "the consumer runs in a second process so that it does not compete with them for "
            "the loop (the consuming service is another process in production too).",
            "The writer is open-loop: event i is due at start + i/rate whatever earlier ones "
            "took, up to writer_concurrency transactions in flight; each is one transaction "
            "with a state row and an outbox row, inside a tracing span so events carry "
            "traceparent as a service's do. Events due while max_backlog_s worth of events "
            "wait to start are skipped (skipped_as_unsustainable; rate_sustained is then "
            "false): the machine could not produce the rate, and the run keeps its length.",
            "stages: relay pickup is the outbox row's published_at (now() of the relay's "
            "transaction); commit_to_handler_committed is when the consumer's transaction "
            "(inbox row + effect) committed.",
            "Raw aiokafka: AIOKafkaProducer(enable_idempotence=True) (acks=all), otherwise "
            "defaults; consumer group with manual commits and read_committed, as EventConsumer. "
            "Same CloudEvent bytes, keys and headers as the outbox sends.",
            "Relay throughput is timed from OutboxRelay.start() (producer connect included) "
            "until the last row has published_at; raw throughput from the first send() to the "
            "last acknowledgement, after producer.start().",
            "A bench-started PostgreSQL runs with fsync=off and synchronous_commit=off (the "
            "dev/test settings of kota_dev.postgres), so commits are cheaper than in production.",
            "Everything (PostgreSQL, Kafka, writer, consumer) shares the machine's CPUs; other "
            "work on the machine (see load_average_* and cpu_pressure_*) disturbs the numbers. "
            "cpu.ms_per_event divides each party's CPU time during a fixed-rate run (drain "
            "included) by the events sent; postgres and kafka only when the bench started them; "
            "machine_busy_pct counts every process on the machine.",
        ],
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rate", type=float, default=1000.0, help="events per second (1000)")
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds (60)")
    parser.add_argument("--warmup", type=float, default=5.0, help="unmeasured seconds first (5)")
    parser.add_argument(
        "--relay-events", type=int, default=50_000, help="outbox rows to drain (50000; 0 skips)"
    )
    parser.add_argument(
        "--relay-batch-size", type=int, default=500, help="OutboxRelay batch_size (500)"
    )
    parser.add_argument("--relay-timeout", type=float, default=600.0, help="seconds (600)")
    parser.add_argument(
        "--max-backlog",
        type=float,
        default=1.0,
        help="skip events due while this many seconds of events are queued (1)",
    )
    parser.add_argument(
        "--pool-size", type=int, default=10, help="writer connection pool and concurrency (10)"
    )
    return parser.parse_args(argv)


def main() -> None:
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    _log.setLevel(logging.INFO)
    if sys.argv[1:2] == ["_consumer"]:
        asyncio.run(child_main(json.loads(sys.argv[2])))
        return
    args = parse_args(sys.argv[1:])
    with infrastructure() as infra:
        result = asyncio.run(bench(args, infra))
    sys.stdout.write(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
