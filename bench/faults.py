"""Fault benchmark: minutes of load while PostgreSQL and Kafka restart and consumers die.

Run it from the repository root:

    uv run python bench/faults.py                   # 30 s quiet, then 180 s of faults
    uv run python bench/faults.py --faults 60 --every 12 --seed 7

It starts a PostgreSQL cluster and a Kafka broker of its own in ``.kota/bench-faults``
(removed afterwards unless the run failed; both are restarted, so nothing else may share
them). A writer in this process commits
parcel scans through the outbox at ``--rate`` events per second, with the `OutboxRelay`
beside it under a `Supervisor`, as in a service; ``--consumers`` consumer processes share one
group. First a quiet phase with no fault is the baseline; then, every ``--every`` seconds, one
fault picked at random (``--seed``): PostgreSQL restarted fast, restarted immediate (a crash
for its data), or stopped for ``--pg-down`` seconds; Kafka stopped for ``--kafka-down``
seconds; a consumer SIGKILLed and replaced at once, as an orchestrator would.

One JSON object goes to stdout, progress to stderr: what was committed, what was applied,
lost, duplicated in effect, out of order and phantom (applied but never committed; each
must be 0), each fault with its recovery
time (from the fault's end until the consumers had applied everything committed by then),
and commit-to-effect latency in the quiet phase beside the faulty one.
"""

import argparse
import asyncio
import json
import logging
import random
import shutil
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from kota_dev import kafka as kafka_dev
from kota_dev.faults.load import (
    OwnPostgres,
    Writer,
    applied_scans,
    committed_event_ids,
    committed_events,
    outcome,
    spawn_consumer,
    unpublished_events,
)
from kota_dev.faults.parcels import TABLES, ParcelScanned, metadata, scans
from kota_shared.db import create_engine, create_sessionmaker
from kota_shared.events.outbox import Outbox, OutboxRelay
from kota_shared.events.topics import ensure_topics
from kota_shared.supervision import Supervisor

_log = logging.getLogger("bench.faults")
REPO = Path(__file__).resolve().parents[1]
CACHE_DIR = REPO / ".kota" / "cache"
STATE_DIR = REPO / ".kota" / "bench-faults"
PARCELS = [f"parcel-{n:02d}" for n in range(24)]
GROUP = "bench-faults"


@dataclass
class Fault:
    kind: str
    at_s: float
    outage_s: float
    recovery_s: float | None = None


class Rig:
    """The infrastructure under test and the parties using it."""

    def __init__(self, base: Path, args: argparse.Namespace) -> None:
        self.args = args
        self.postgres = OwnPostgres(base / "postgres")
        self._kafka_dir = base / "kafka"
        self.broker: kafka_dev.KafkaBroker | None = None
        self.sessionmaker: async_sessionmaker[AsyncSession] | None = None
        self.database_url = ""
        self.consumers: list[asyncio.subprocess.Process] = []
        self.consumer_crashes = 0

    @property
    def kafka(self) -> str:
        assert self.broker is not None
        return self.broker.bootstrap_servers

    async def start(self) -> None:
        cluster = await self.postgres.start()
        await self.start_kafka()
        setup = create_async_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        async with setup.connect() as connection:
            await connection.exec_driver_sql('CREATE DATABASE "parcels"')
        await setup.dispose()
        self.database_url = cluster.url(database="parcels")
        setup = create_async_engine(self.database_url)
        async with setup.begin() as connection:
            await connection.run_sync(metadata.create_all)
        await setup.dispose()
        self.sessionmaker = create_sessionmaker(create_engine(self.database_url, pool_size=5))
        await ensure_topics(self.kafka, [ParcelScanned.topic], partitions=6)
        for _ in range(self.args.consumers):
            self.consumers.append(await self.spawn())

    async def start_kafka(self) -> None:
        self.broker = await asyncio.to_thread(
            kafka_dev.start_broker, self._kafka_dir, cache_dir=CACHE_DIR
        )

    async def stop_kafka(self) -> None:
        if self.broker is not None:
            await asyncio.to_thread(kafka_dev.stop_broker, self.broker)
            self.broker = None

    async def spawn(self) -> asyncio.subprocess.Process:
        return await spawn_consumer(self.database_url, self.kafka, GROUP, ParcelScanned.topic)

    async def replace_dead_consumers(self) -> None:
        """A consumer that died by itself is a crash: count it, and start another."""
        for index, process in enumerate(self.consumers):
            if process.returncode is not None:
                self.consumer_crashes += 1
                self.consumers[index] = await self.spawn()

    async def wait_for_stable_group(self, *, within: float) -> None:
        """Until every consumer process is a member and the group has settled."""
        deadline = time.monotonic() + within
        admin = AIOKafkaAdminClient(bootstrap_servers=self.kafka)
        await admin.start()
        try:
            while time.monotonic() < deadline:
                (response,) = await admin.describe_consumer_groups([GROUP])
                groups = response.to_object()["groups"]
                if any(
                    g["state"] == "Stable" and len(g["members"]) == len(self.consumers)
                    for g in groups
                ):
                    return
                await asyncio.sleep(0.2)
        finally:
            await admin.close()
        raise RuntimeError(f"the {len(self.consumers)} consumers did not settle in a group")

    async def stop(self) -> None:
        for process in self.consumers:
            if process.returncode is None:
                process.kill()
                await process.wait()
        if self.sessionmaker is not None:
            await self.sessionmaker.kw["bind"].dispose()
        await self.stop_kafka()
        await self.postgres.stop()


def fault_actions(rig: Rig) -> dict[str, Callable[[], Awaitable[None]]]:
    async def pg_down() -> None:
        await rig.postgres.stop()
        await asyncio.sleep(rig.args.pg_down)
        await rig.postgres.start()

    async def kafka_down() -> None:
        await rig.stop_kafka()
        await asyncio.sleep(rig.args.kafka_down)
        await rig.start_kafka()

    async def kill_consumer() -> None:
        index = random.randrange(len(rig.consumers))
        victim = rig.consumers[index]
        if victim.returncode is None:
            victim.send_signal(signal.SIGKILL)
            await victim.wait()
        rig.consumers[index] = await rig.spawn()

    async def pg_restart_fast() -> None:
        await rig.postgres.restart("fast")

    async def pg_restart_immediate() -> None:
        await rig.postgres.restart("immediate")

    return {
        "postgres_restart_fast": pg_restart_fast,
        "postgres_restart_immediate": pg_restart_immediate,
        "postgres_down": pg_down,
        "kafka_down": kafka_down,
        "consumer_sigkill": kill_consumer,
    }


async def _quietly(probe: Callable[[], Awaitable[int]]) -> int | None:
    """``probe()``, or None while the database is still coming back."""
    try:
        return await probe()
    except Exception:
        return None


async def recovery_seconds(rig: Rig, *, within: float) -> float | None:
    """Seconds until everything committed by now has been applied (None: not within)."""
    assert rig.sessionmaker is not None
    sessionmaker = rig.sessionmaker
    began = time.monotonic()
    target = None
    while time.monotonic() - began < within:
        await rig.replace_dead_consumers()
        if target is None:
            target = await _quietly(lambda: committed_events(sessionmaker))
        else:
            applied = await _quietly(lambda: applied_scans(sessionmaker, PARCELS))
            if applied is not None and applied >= target:
                return round(time.monotonic() - began, 2)
        await asyncio.sleep(0.2)
    return None


async def latency_ms(
    sessionmaker: async_sessionmaker[AsyncSession], since: float, until: float | None = None
) -> list[float]:
    """Commit-to-effect delay of every event committed (and, with ``until``, applied)
    between ``since`` and ``until`` (seconds since the epoch), on the database's clock."""
    outbox = TABLES.outbox
    query = (
        select(outbox.c.created_at, scans.c.applied_at)
        .join(scans, scans.c.event_id == outbox.c.event_id.cast(scans.c.event_id.type))
        .where(outbox.c.created_at >= _utc(since))
    )
    if until is not None:
        # Only what was applied within the phase, too: an event still in flight when the
        # first fault struck belongs to the faulty phase's figures, not the baseline's.
        query = query.where(outbox.c.created_at < _utc(until), scans.c.applied_at < _utc(until))
    async with sessionmaker() as session:
        rows = (await session.execute(query)).all()
    return [(applied - created).total_seconds() * 1000 for created, applied in rows]


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def summary(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"events": 0}
    ordered = sorted(values)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {"events": len(ordered), "p50_ms": pct(0.5), "p99_ms": pct(0.99), "max_ms": pct(1.0)}


async def bench(args: argparse.Namespace, base: Path) -> dict[str, Any]:
    random.seed(args.seed)
    rig = Rig(base, args)
    await rig.start()
    assert rig.sessionmaker is not None
    sessionmaker = rig.sessionmaker
    supervisor = Supervisor()
    relay = OutboxRelay(tables=TABLES, sessionmaker=sessionmaker, bootstrap_servers=rig.kafka)
    supervisor.start("outbox-relay", relay.run)
    writer = Writer(
        sessionmaker,
        Outbox(tables=TABLES, source="/kota-live/bench-faults"),
        parcels=PARCELS,
        per_transaction=args.per_transaction,
        pause_seconds=args.per_transaction / args.rate,
    )
    writing = asyncio.create_task(writer.run())
    faults: list[Fault] = []
    try:
        # Warm-up, not measured: every consumer joins the group, and they catch up.
        await rig.wait_for_stable_group(within=args.recovery_timeout)
        if await recovery_seconds(rig, within=args.recovery_timeout) is None:
            raise RuntimeError("the consumers did not start consuming")
        quiet_began = time.time()
        _log.info("quiet phase: %.0f s at about %.0f events/s", args.quiet, args.rate)
        await asyncio.sleep(args.quiet)
        faulty_began = time.time()
        started = time.monotonic()
        actions = fault_actions(rig)
        while time.monotonic() - started < args.faults:
            kind = random.choice(sorted(actions))
            at = time.monotonic() - started
            _log.info("t=%5.1fs fault: %s", at, kind)
            await actions[kind]()
            outage = time.monotonic() - started - at
            fault = Fault(kind=kind, at_s=round(at, 1), outage_s=round(outage, 2))
            fault.recovery_s = await recovery_seconds(rig, within=args.recovery_timeout)
            _log.info("          recovered in %ss", fault.recovery_s)
            faults.append(fault)
            pause = at + args.every - (time.monotonic() - started)
            if pause > 0:
                await asyncio.sleep(pause)
    finally:
        writer.stop()
        await writing
    _log.info("draining")
    drain = await recovery_seconds(rig, within=args.recovery_timeout)
    _log.info("drained in %ss", drain)
    unpublished = await unpublished_events(sessionmaker)
    result = await outcome(
        sessionmaker, expected=await committed_event_ids(sessionmaker), parcels=PARCELS
    )
    quiet = await latency_ms(sessionmaker, quiet_began, faulty_began)
    faulty = await latency_ms(sessionmaker, faulty_began)
    relay_restarts = supervisor.report()["outbox-relay"]["restarts"]
    await supervisor.stop()
    await rig.stop()
    recoveries = [f.recovery_s for f in faults if f.recovery_s is not None]
    return {
        "bench": "faults",
        "params": {
            "quiet_s": args.quiet,
            "faults_s": args.faults,
            "every_s": args.every,
            "rate_per_s": args.rate,
            "consumers": args.consumers,
            "pg_down_s": args.pg_down,
            "kafka_down_s": args.kafka_down,
            "seed": args.seed,
        },
        "events": {
            "committed": result.committed,
            "applied_unique": result.committed - result.lost,
            "lost": result.lost,
            "duplicated_in_effect": result.duplicated,
            "out_of_order": result.out_of_order,
            "phantom": result.phantom,
            "unpublished_at_end": unpublished,
            "writer_attempts": writer.attempts,
            "writer_failures": writer.failures,
        },
        "faults": [asdict(f) for f in faults],
        "recovery_s": {
            "faults": len(faults),
            "not_recovered": len(faults) - len(recoveries),
            "max": max(recoveries, default=None),
            "mean": round(sum(recoveries) / len(recoveries), 2) if recoveries else None,
            "final_drain": drain,
        },
        "latency_commit_to_effect": {
            "quiet_baseline": summary(quiet),
            "under_faults": summary(faulty),
        },
        "crashes": {"relay_restarts": relay_restarts, "consumer_crashes": rig.consumer_crashes},
        "verdict": {
            "lost_0": result.lost == 0,
            "duplicated_0": result.duplicated == 0,
            "out_of_order_0": result.out_of_order == 0,
            "phantom_0": result.phantom == 0,
            "all_recovered": len(recoveries) == len(faults) and drain is not None,
        },
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quiet", type=float, default=30.0, help="seconds without faults (30)")
    parser.add_argument("--faults", type=float, default=180.0, help="seconds of faults (180)")
    parser.add_argument("--every", type=float, default=15.0, help="seconds between faults (15)")
    parser.add_argument("--rate", type=float, default=200.0, help="events per second (200)")
    parser.add_argument("--per-transaction", type=int, default=5, help="events per commit (5)")
    parser.add_argument("--consumers", type=int, default=2, help="consumer processes (2)")
    parser.add_argument("--pg-down", type=float, default=5.0, help="PostgreSQL down, s (5)")
    parser.add_argument("--kafka-down", type=float, default=15.0, help="Kafka down, s (15)")
    parser.add_argument("--recovery-timeout", type=float, default=120.0, help="s (120)")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main() -> None:
    logging.basicConfig(
        stream=sys.stderr, level=logging.ERROR, format="%(asctime)s %(name)s %(message)s"
    )
    _log.setLevel(logging.INFO)
    args = parse_args(sys.argv[1:])
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    result = asyncio.run(bench(args, STATE_DIR))
    shutil.rmtree(STATE_DIR, ignore_errors=True)  # kept, with the servers' logs, if it failed
    sys.stdout.write(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
