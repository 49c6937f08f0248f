"""The consuming side, in a process of its own, and the parent's handle on it.

The consumer runs apart from the writer so that it does not compete with the writer and its
relay for one event loop (the consuming service is another process in production too). The
child is the entry script run as ``events.py _consumer CONFIG``: an ``EventConsumer`` (mode
``kota``) or a raw aiokafka consumer group (mode ``raw``), stamping the wall clock for each
event it receives.

Protocol on the child's stdin/stdout, one JSON object a line: the child says {"ready": true}
once its consumer owns every partition; the parent sends {"expect": N} when it has sent N
events; the child answers {"done": true} after writing what it received to results_path.
"""

import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from aiokafka import AIOKafkaConsumer
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared import tracing
from kota_shared.db import create_engine, create_sessionmaker
from kota_shared.events.consumer import EventConsumer, on
from kota_shared.events.envelope import ReceivedEvent
from kota_shared.events.topics import DEFAULT_PARTITIONS
from kota_shared.supervision import Supervisor

from .config import SCRIPT, log
from .model import TABLES, ReadingRecorded, applied_readings

READY_TIMEOUT = 60.0
DRAIN_STALL_SECONDS = 20.0  # a consumer that receives nothing new for this long is done


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

    async def apply_reading(session: AsyncSession, event: ReceivedEvent[ReadingRecorded]) -> None:
        stamp = time.time()
        received.handled.setdefault(event.data.n, stamp)
        await session.execute(
            insert(applied_readings).values(
                event_id=event.id, sensor=event.data.sensor, n=event.data.n
            )
        )

    def after_apply(event: ReceivedEvent) -> None:
        received.applied.setdefault(event.data.n, time.time())

    consumer = EventConsumer(
        name=config["group"],
        topics=[config["topic"]],
        bootstrap_servers=config["kafka"],
        sessionmaker=sessionmaker,
        tables=TABLES,
        context=lambda session: session,
        subscriptions=[on(ReadingRecorded, apply_reading)],
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
    """The child's side: consume until the expected events are in (or stop coming)."""
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
    async def start(
        cls, *, mode: str, topic: str, kafka: str, group: str, db_url: str | None = None
    ) -> Self:
        """A child consuming ``topic`` in consumer group ``group``, once it owns every
        partition; ``db_url`` is the kota consumer's database (its inbox and effects)."""
        handle, name = tempfile.mkstemp(prefix="kota-bench-", suffix=".json")
        os.close(handle)  # the child writes it; we only need the name
        results_path = Path(name)
        config = {
            "mode": mode,
            "topic": topic,
            "kafka": kafka,
            "group": group,
            "db_url": db_url,
            "partitions": DEFAULT_PARTITIONS,
            "results_path": str(results_path),
        }
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
        """What the child received, once ``expected`` events are in or it gave up waiting."""
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
