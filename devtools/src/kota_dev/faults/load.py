"""Load and bookkeeping for fault runs: parcels scanned while the infrastructure misbehaves.

The writer commits scans through the outbox as a service would, carrying on through errors
as a client retrying would. What counts afterwards is what the database holds, not what the
writer believes: a commit cut off by a restart may or may not have happened, and the outbox
table is the only witness of the events that must arrive.
"""

import asyncio
import itertools
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_dev import postgres as postgres_dev
from kota_dev.faults.parcels import TABLES, ParcelScanned, scans
from kota_shared.events.outbox import Outbox


@dataclass
class Writer:
    """Commits ``per_transaction`` scans at a time, over ``parcels`` keys, until stopped."""

    sessionmaker: async_sessionmaker[AsyncSession]
    outbox: Outbox
    parcels: list[str]
    per_transaction: int = 5
    pause_seconds: float = 0.01
    failures: int = 0
    attempts: int = 0
    _steps: Any = field(default_factory=lambda: itertools.count(1))
    _stopped: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self) -> None:
        while not self._stopped.is_set():
            self.attempts += 1
            try:
                async with self.sessionmaker() as session, session.begin():
                    for _ in range(self.per_transaction):
                        step = next(self._steps)
                        parcel = self.parcels[step % len(self.parcels)]
                        await self.outbox.add(
                            session, ParcelScanned(parcel=parcel, step=step), subject=parcel
                        )
            except Exception:  # the database is away: a client tries again
                self.failures += 1
            await asyncio.sleep(self.pause_seconds)

    def stop(self) -> None:
        self._stopped.set()


async def committed_event_ids(sessionmaker: async_sessionmaker[AsyncSession]) -> set[str]:
    """Every event the outbox holds: exactly the events whose transaction committed."""
    async with sessionmaker() as session:
        return {
            str(event_id) for event_id in await session.scalars(select(TABLES.outbox.c.event_id))
        }


async def committed_events(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(TABLES.outbox)) or 0)


async def unpublished_events(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    outbox = TABLES.outbox
    async with sessionmaker() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            )
            or 0
        )


async def applied_scans(sessionmaker: async_sessionmaker[AsyncSession], parcels: list[str]) -> int:
    async with sessionmaker() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(scans).where(scans.c.parcel.in_(parcels))
            )
            or 0
        )


@dataclass(frozen=True)
class Outcome:
    """What a fault run did to the events: every count but ``committed`` must be zero."""

    committed: int
    lost: int
    duplicated: int
    out_of_order: int
    phantom: int
    """Applied but never committed: an effect of a transaction the database lost."""


async def outcome(
    sessionmaker: async_sessionmaker[AsyncSession], *, expected: set[str], parcels: list[str]
) -> Outcome:
    """Compare the ``expected`` event ids with what the consumer applied of ``parcels`` (the
    topic may carry other tests' parcels too), in the order it applied them."""
    async with sessionmaker() as session:
        applied = (
            await session.execute(
                select(scans.c.parcel, scans.c.step, scans.c.event_id)
                .where(scans.c.parcel.in_(parcels))
                .order_by(scans.c.id)
            )
        ).all()
    copies = Counter(row.event_id for row in applied)
    steps: dict[str, list[int]] = defaultdict(list)
    for row in applied:
        steps[row.parcel].append(row.step)
    return Outcome(
        committed=len(expected),
        lost=len(expected - set(copies)),
        phantom=len(set(copies) - expected),
        duplicated=sum(n - 1 for n in copies.values()),
        out_of_order=sum(
            1 for seen in steps.values() for a, b in itertools.pairwise(seen) if a > b
        ),
    )


async def spawn_consumer(
    database_url: str, bootstrap_servers: str, group: str, topic: str, *flags: str
) -> asyncio.subprocess.Process:
    """A parcels consumer in a new process (`kota_dev.faults.consumer_process`)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "kota_dev.faults.consumer_process",
        database_url,
        bootstrap_servers,
        group,
        topic,
        *flags,
    )


class OwnPostgres:
    """A PostgreSQL cluster of the test's own: restarting it disturbs no other test.

    Durable (fsync and synchronous commit on): an immediate restart is a crash, and a
    commit the server acknowledged must survive it, as it would in production.
    """

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self.cluster: postgres_dev.PostgresCluster | None = None

    async def start(self) -> postgres_dev.PostgresCluster:
        self.cluster = await asyncio.to_thread(
            postgres_dev.start_cluster, self._data_dir, durable=True
        )
        return self.cluster

    async def restart(self, mode: str) -> float:
        """Restart in ``mode``; returns the monotonic time the server answered again."""
        assert self.cluster is not None
        await asyncio.to_thread(postgres_dev.restart_cluster, self.cluster, mode=mode)
        return time.monotonic()

    async def stop(self) -> None:
        if self.cluster is not None:
            await asyncio.to_thread(postgres_dev.stop_cluster, self.cluster)
