"""The outbox on real PostgreSQL and Kafka: a commit publishes, a rollback publishes nothing."""

import asyncio
import linecache
import uuid
from datetime import timedelta
from typing import Any

import pytest
from cloudevents.v1.kafka import KafkaMessage as SdkKafkaMessage
from cloudevents.v1.kafka import from_structured as sdk_from_structured
from prometheus_client import REGISTRY
from sqlalchemy import func, select, update

from kota_dev.faults.parcels import TABLES, ParcelScanned, count_scans, scans_of
from kota_dev.pytest_plugin import Infrastructure
from kota_shared import tracing
from kota_shared.events.outbox import OutboxRelay
from kota_shared.testing.kafka import read_records
from kota_shared.testing.waiting import eventually


async def test_committed_event_reaches_its_consumer(parcels_db, outbox, relay_for, consumer_for):
    relay_for(parcels_db)
    await consumer_for(parcels_db)
    parcel = uuid.uuid4().hex

    async with parcels_db() as session, session.begin():
        event_id = await outbox.add(session, ParcelScanned(parcel=parcel, step=1), subject=parcel)

    applied = await eventually(lambda: scans_of(parcels_db, [parcel]), what="the scan to apply")
    assert [(row.parcel, row.step, row.event_id) for row in applied] == [(parcel, 1, event_id)]


async def test_rolled_back_transaction_publishes_nothing(
    parcels_db, outbox, relay_for, consumer_for
):
    relay_for(parcels_db)
    await consumer_for(parcels_db)
    rolled_back, committed = uuid.uuid4().hex, uuid.uuid4().hex

    async def change_that_fails() -> None:
        async with parcels_db() as session, session.begin():
            await outbox.add(
                session, ParcelScanned(parcel=rolled_back, step=1), subject=rolled_back
            )
            raise RuntimeError("the business change failed")

    with pytest.raises(RuntimeError, match="business change failed"):
        await change_that_fails()
    # A later event on the same relay and partition is the witness: once it has arrived,
    # the rolled-back one would have arrived before it had it been published.
    async with parcels_db() as session, session.begin():
        await outbox.add(session, ParcelScanned(parcel=committed, step=1), subject=rolled_back)

    await eventually(lambda: count_scans(parcels_db, [committed]), what="the witness event")
    assert await count_scans(parcels_db, [rolled_back]) == 0
    async with parcels_db() as session:
        outbox_rows = (await session.execute(select(outbox._table.c.key))).scalars().all()
    assert outbox_rows == [rolled_back]  # only the witness, keyed like the rolled-back one


async def test_published_events_are_valid_cloudevents(
    parcels_db, outbox, relay_for, infrastructure: Infrastructure
):
    """Checked with the CloudEvents SDK's own (v1 API) parser, not the code that wrote them."""
    relay_for(parcels_db)
    parcel = uuid.uuid4().hex
    tracing.setup_tracing("tests")
    with tracing.tracer().start_as_current_span("scan") as span:
        trace_id = format(span.get_span_context().trace_id, "032x")
        async with parcels_db() as session, session.begin():
            event_id = await outbox.add(
                session, ParcelScanned(parcel=parcel, step=7), subject=parcel
            )

    records = await read_records(
        infrastructure.kafka_bootstrap_servers,
        ParcelScanned.topic,
        until=lambda records: any(r.key == parcel.encode() for r in records),
    )
    (record,) = [r for r in records if r.key == parcel.encode()]

    event = sdk_from_structured(
        SdkKafkaMessage(headers=dict(record.headers), key=record.key, value=record.value)
    )
    assert event["specversion"] == "1.0"
    assert event["id"] == event_id
    assert event["type"] == "test.parcel.scanned.v1"
    assert event["source"] == "/kota-live/tests"
    assert event["subject"] == parcel
    assert event.data == {"parcel": parcel, "step": 7}
    headers = dict(record.headers)
    assert headers["content-type"] == b"application/cloudevents+json"
    # W3C trace context travels in the Kafka headers and in the event (distributed tracing).
    assert headers["traceparent"].decode().split("-")[1] == trace_id
    assert event["traceparent"] == headers["traceparent"].decode()


async def test_published_rows_are_purged_after_the_retention(parcels_db, outbox) -> None:
    relay = OutboxRelay(
        tables=TABLES,
        sessionmaker=parcels_db,
        bootstrap_servers="127.0.0.1:9",  # never contacted: purging is database work only
        retention=timedelta(days=7),
    )
    parcels = [uuid.uuid4().hex for _ in range(3)]
    async with parcels_db() as session, session.begin():
        for parcel in parcels:
            await outbox.add(session, ParcelScanned(parcel=parcel, step=1), subject=parcel)
    table = TABLES.outbox
    old, recent, unpublished = parcels
    async with parcels_db() as session, session.begin():
        await session.execute(
            update(table)
            .where(table.c.key == old)
            .values(published_at=func.now() - timedelta(days=8))
        )
        await session.execute(
            update(table)
            .where(table.c.key == recent)
            .values(published_at=func.now() - timedelta(days=1))
        )

    assert await relay.purge_published() == 1
    async with parcels_db() as session:
        remaining = set((await session.execute(select(table.c.key))).scalars())
    assert remaining == {recent, unpublished}


async def test_a_commit_during_a_batch_is_published_without_waiting_for_the_poll(
    parcels_db, outbox, consumer_for, supervisor, infrastructure: Infrastructure
) -> None:
    first, second = uuid.uuid4().hex, uuid.uuid4().hex

    class CommitDuringBatch(OutboxRelay):
        """Commits the second event while the first batch is being published."""

        async def publish_batch(self) -> bool:
            more = await super().publish_batch()
            if not getattr(self, "done", False):
                self.done = True
                async with parcels_db() as session, session.begin():
                    await outbox.add(session, ParcelScanned(parcel=second, step=2), subject=second)
            return more

    relay = CommitDuringBatch(
        tables=TABLES,
        sessionmaker=parcels_db,
        bootstrap_servers=infrastructure.kafka_bootstrap_servers,
        poll_seconds=60,  # far longer than the test may wait: only a wake-up can publish
    )
    await consumer_for(parcels_db)
    async with parcels_db() as session, session.begin():
        await outbox.add(session, ParcelScanned(parcel=first, step=1), subject=first)
    supervisor.start("outbox-relay", relay.run)
    await eventually(
        lambda: count_scans(parcels_db, [first, second]),
        until=lambda n: n == 2,
        within=20,
        what="both events, the second without a poll",
    )


WOKEN_RELAY_TASK = "outbox-relay-woken-as-stopped"
"""A name of its own: another module's app in the same test process runs an "outbox-relay"."""


def _relay_waits_for_a_wake_up() -> bool:
    """The relay's task is suspended on its wake-up event (not publishing, not purging)."""
    (task,) = [t for t in asyncio.all_tasks() if t.get_name() == WOKEN_RELAY_TASK]
    awaiting: Any = task.get_coro()  # the supervisor's loop, awaiting the relay's run()
    while awaiting is not None and awaiting.cr_code is not OutboxRelay.run.__code__:
        awaiting = getattr(awaiting, "cr_await", None)
    if awaiting is None or awaiting.cr_frame is None:
        return False
    frame = awaiting.cr_frame
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    return line == "await self._wakeup.wait()"


async def test_a_relay_woken_as_it_is_stopped_still_stops(parcels_db, infrastructure, supervisor):
    """A commit can wake the relay in the very tick its service stops it. On Python 3.11,
    asyncio.wait_for swallowed that cancel() and the relay kept running: stop() never returned
    and the service hung on shutdown."""
    relay = OutboxRelay(
        tables=TABLES,
        sessionmaker=parcels_db,
        bootstrap_servers=infrastructure.kafka_bootstrap_servers,
        poll_seconds=60,  # parked until woken
    )
    supervisor.start(WOKEN_RELAY_TASK, relay.run)
    await eventually(
        lambda: asyncio.sleep(0, _relay_waits_for_a_wake_up()), what="the relay to be idle"
    )

    relay.wake()
    async with asyncio.timeout(15):
        await supervisor.stop()


async def test_the_backlog_counts_rows_not_yet_published(parcels_db, outbox) -> None:
    relay = OutboxRelay(
        tables=TABLES,
        sessionmaker=parcels_db,
        bootstrap_servers="127.0.0.1:9",  # never contacted: measuring is database work only
    )
    parcels = [uuid.uuid4().hex for _ in range(3)]
    async with parcels_db() as session, session.begin():
        for parcel in parcels:
            await outbox.add(session, ParcelScanned(parcel=parcel, step=1), subject=parcel)
        await session.execute(
            update(TABLES.outbox)
            .where(TABLES.outbox.c.key == parcels[0])
            .values(published_at=func.now())
        )

    assert await relay.measure_backlog() == 2
    assert REGISTRY.get_sample_value("kota_outbox_backlog") == 2


async def test_an_event_may_be_given_the_id_its_cause_dictates(parcels_db, outbox) -> None:
    parcel, event_id = uuid.uuid4().hex, uuid.uuid4()

    async with parcels_db() as session, session.begin():
        returned = await outbox.add(
            session, ParcelScanned(parcel=parcel, step=1), subject=parcel, event_id=event_id
        )

    async with parcels_db() as session:
        stored = await session.scalar(
            select(TABLES.outbox.c.event_id).where(TABLES.outbox.c.key == parcel)
        )
    assert returned == str(event_id)
    assert stored == event_id
