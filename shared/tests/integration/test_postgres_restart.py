"""PostgreSQL restarted under load: every committed event is published and applied once.

The relay and the consumer run under a supervisor as in a service, against a cluster of
the test's own that is restarted in fast and immediate mode and once kept down for longer
than the consumer's retries of a bad message would last. Nobody restarts anything by
hand: they must wait the outages out, and neither may crash or dead-letter a good event.
"""

import asyncio
import uuid
from dataclasses import replace

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from kota_dev.faults.load import (
    OwnPostgres,
    Writer,
    applied_scans,
    committed_event_ids,
    committed_events,
    outcome,
    unpublished_events,
)
from kota_dev.faults.parcels import metadata
from kota_dev.pytest_plugin import Infrastructure, create_database
from kota_shared.db import create_engine, create_sessionmaker
from kota_shared.testing.waiting import eventually

SLOW_OUTAGE_SECONDS = 6  # longer than five retries of a bad message (about 3 s)


@pytest.fixture
async def own_postgres(tmp_path):
    postgres = OwnPostgres(tmp_path / "pg")
    await postgres.start()
    yield postgres
    await postgres.stop()


@pytest.fixture
async def restarted_db(own_postgres, infrastructure: Infrastructure):
    """The parcels tables in a database on the cluster this test restarts."""
    own = replace(infrastructure, postgres_url=own_postgres.cluster.url())
    url = await create_database(own, "parcels")
    setup = create_async_engine(url)
    async with setup.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await setup.dispose()
    engine = create_engine(url, pool_size=5)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def _events_written_since(sessionmaker, count: int, more: int) -> int:
    return await eventually(
        lambda: _committed_or_zero(sessionmaker),
        until=lambda n: n >= count + more,
        within=60,
        what=f"{more} more events to be written",
    )


async def _committed_or_zero(sessionmaker) -> int:
    try:
        return await committed_events(sessionmaker)
    except Exception:  # still restarting
        return 0


async def test_a_restarted_database_loses_doubles_and_reorders_nothing(
    own_postgres, restarted_db, outbox, relay_for, consumer_for, supervisor
):
    relay = relay_for(restarted_db)
    consumer = await consumer_for(restarted_db)
    writer = Writer(restarted_db, outbox, parcels=[uuid.uuid4().hex for _ in range(8)])
    writing = asyncio.create_task(writer.run())
    try:
        written = await _events_written_since(restarted_db, 0, 100)
        await own_postgres.restart("fast")
        written = await _events_written_since(restarted_db, written, 100)
        await own_postgres.restart("immediate")
        written = await _events_written_since(restarted_db, written, 100)
        await own_postgres.stop()
        await asyncio.sleep(SLOW_OUTAGE_SECONDS)  # the outage itself, not a wait for an event
        await own_postgres.start()
        await _events_written_since(restarted_db, written, 100)
    finally:
        writer.stop()
        await writing

    await eventually(
        lambda: unpublished_events(restarted_db),
        until=lambda n: n == 0,
        within=30,
        what="the outbox to drain by itself",
    )
    committed = await committed_events(restarted_db)
    await eventually(
        lambda: applied_scans(restarted_db, writer.parcels),
        until=lambda n: n >= committed,
        within=30,
        what=f"all {committed} events to be applied",
    )

    result = await outcome(
        restarted_db, expected=await committed_event_ids(restarted_db), parcels=writer.parcels
    )
    assert (result.lost, result.duplicated, result.out_of_order, result.phantom) == (0, 0, 0, 0), (
        result
    )
    assert writer.failures > 0  # the restarts really did cut the writer off
    assert consumer.dead_lettered == 0
    tasks = supervisor.report()
    assert all(task["restarts"] == 0 for task in tasks.values()), tasks  # waited out, no crash
    assert relay.healthy
