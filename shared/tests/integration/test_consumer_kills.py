"""A consumer SIGKILLed again and again while events stream in: each applied exactly once.

Each kill lands wherever the consumer happens to be: between an effect's commit and its
offset's, mid-batch, or idle. Its successor (a new process, as an orchestrator would start)
re-reads from the committed offset; the inbox turns every repeat into a no-op.
"""

import asyncio
import signal
import uuid

from kota_dev.faults.load import Outcome, outcome, spawn_consumer
from kota_dev.faults.parcels import ParcelScanned, count_scans
from kota_shared.events.envelope import build_message
from kota_shared.events.topics import ensure_topics
from kota_shared.testing.waiting import eventually

EVENTS = 300
KILLS = 3
STREAM_PAUSE_SECONDS = 0.1  # the stream's pace: about 30 s of events, long enough for 3 kills


async def test_a_consumer_killed_repeatedly_during_a_stream_applies_each_event_once(
    parcels_db, send_raw, private_topic, infrastructure
):
    await ensure_topics(infrastructure.kafka_bootstrap_servers, [private_topic], partitions=3)
    parcels = [uuid.uuid4().hex for _ in range(6)]
    group = f"test-kills-{uuid.uuid4().hex[:8]}"
    database_url = parcels_db.kw["bind"].url.render_as_string(hide_password=False)
    sent: set[str] = set()

    async def stream() -> None:
        for step in range(1, EVENTS + 1):
            parcel = parcels[step % len(parcels)]
            message = build_message(
                ParcelScanned(parcel=parcel, step=step),
                source="/kota-live/tests",
                subject=parcel,
                trace_headers={},
            )
            await send_raw(private_topic, message.value, key=parcel, headers=message.headers)
            sent.add(str(message.event_id))
            await asyncio.sleep(STREAM_PAUSE_SECONDS)

    async def consumer_process() -> asyncio.subprocess.Process:
        return await spawn_consumer(
            database_url, infrastructure.kafka_bootstrap_servers, group, private_topic
        )

    streaming = asyncio.create_task(stream())
    killed = 0
    try:
        for _ in range(KILLS):
            child = await consumer_process()
            applied = await count_scans(parcels_db, parcels)
            await eventually(
                lambda: count_scans(parcels_db, parcels),
                until=lambda n, before=applied: n > before,
                within=60,
                what="the new consumer process to apply events",
            )
            child.send_signal(signal.SIGKILL)
            assert await child.wait() == -signal.SIGKILL
            killed += 1
        await streaming
        survivor = await consumer_process()
        try:
            await eventually(
                lambda: count_scans(parcels_db, parcels),
                until=lambda n: n >= EVENTS,
                within=120,
                what=f"all {EVENTS} events to be applied",
            )
        finally:
            survivor.kill()
            await survivor.wait()
    finally:
        streaming.cancel()

    result = await outcome(parcels_db, expected=sent, parcels=parcels)
    assert killed == KILLS
    assert result == Outcome(committed=EVENTS, lost=0, duplicated=0, out_of_order=0, phantom=0)
