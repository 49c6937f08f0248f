"""Freshness: from an event's publication until its effect is visible in the API.

While the app's live consumer runs (its group is the rebuild's, so it starts caught up), a
producer publishes ``--fresh-rate`` events a second for ``--fresh-duration`` seconds on an
open-loop schedule (``events_bench.pacing``), after ``--fresh-warmup`` seconds of the same
that are not measured: each a permits ``StepTaken`` submission of a new
application, of a permit type that names the partition it goes to
(``bench-fresh-<run>-p<n>``), sent to that partition. Its effect is one more ``received`` in
that type's row of ``GET /v1/monitoring/permits/service-levels?group_by=permit_type`` over the
city's yesterday and today, which a poller asks every ``--poll-interval`` seconds through the
API, as a dashboard would. One partition's events are applied in the order they were sent (one
sender, so one order), so the ``k``-th event sent to partition ``n`` is visible once that row
counts ``k``; it is stamped with the arrival of the first answer that shows it.

Latency = that answer's arrival - the wall clock just before ``send()``: an upper bound, by at
most one poll (interval plus the request), on when the effect became visible.
"""

import asyncio
import itertools
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from aiokafka import AIOKafkaProducer
from benchkit.procfs import CpuMeter
from events_bench.pacing import Schedule, run_paced
from events_bench.percentiles import percentile

from kota_contracts.permits import OpenedStage, StepTaken
from kota_shared.events.envelope import build_message

from .api import App, latency_summary, viewer_headers
from .config import log
from .log import record_of
from .synthetic import KECAMATAN, add_working_days

SERVICE_LEVELS = "/v1/monitoring/permits/service-levels"


def submission(permit_type: str, at: datetime, n: int) -> StepTaken:
    """A new application's submission (with its verification clock), by permits."""
    due = add_working_days(at, 1)
    return StepTaken(
        application_id=uuid.uuid4(),
        permit_type=permit_type,
        kecamatan_code=KECAMATAN[n % len(KECAMATAN)],
        action="submit",
        from_status="draft",
        to_status="submitted",
        actor="applicant",
        assisted_by=None,
        at=at,
        closed_stage=None,
        opened_stage=OpenedStage(
            stage="verification",
            due_at=due,
            at_risk_at=at + (due - at) * 0.8,
            aged_3_working_days_at=add_working_days(at, 3),
            aged_6_working_days_at=add_working_days(at, 6),
            aged_11_working_days_at=add_working_days(at, 11),
        ),
    )


class _Seen:
    """What the API shows of each partition's events: how many, and when each was first seen."""

    def __init__(self, prefix: str, partitions: int, timezone: ZoneInfo) -> None:
        self.prefix = prefix
        self.partitions = partitions
        self.timezone = timezone
        self.counted = [0] * partitions
        self.visible: dict[tuple[int, int], float] = {}
        self.polls: list[float] = []
        self.poll_errors = 0

    def path(self) -> str:
        today = datetime.now(self.timezone).date()
        return f"{SERVICE_LEVELS}?group_by=permit_type&from={today - timedelta(days=1)}&to={today}"

    async def poll(self, client: httpx.AsyncClient) -> None:
        began = time.perf_counter()
        response = await client.get(self.path())
        arrived = time.time()
        self.polls.append(time.perf_counter() - began)
        if response.status_code != 200:
            self.poll_errors += 1
            return
        for row in response.json():
            code = row["permit_type"]
            if not code.startswith(self.prefix):
                continue
            partition = int(code.removeprefix(self.prefix))
            for k in range(self.counted[partition], row["received"]):
                self.visible[(partition, k)] = arrived
            self.counted[partition] = max(self.counted[partition], row["received"])


async def freshness(
    app: App,
    signer: Any,
    *,
    kafka: str,
    topic: str,
    partitions: int,
    run_id: str,
    rate: float,
    duration: float,
    warmup: float,
    poll_interval: float,
    settle: float,
    timezone: ZoneInfo,
) -> dict[str, Any]:
    """Publish → visible latency at ``rate`` events a second for ``duration`` seconds."""
    prefix = f"bench-fresh-{run_id}-p"
    seen = _Seen(prefix, partitions, timezone)
    producer = AIOKafkaProducer(bootstrap_servers=kafka, enable_idempotence=True)
    await producer.start()
    sent: dict[int, tuple[int, int]] = {}  # event number -> (partition, k-th on it)
    per_partition = [0] * partitions
    deliveries: list[asyncio.Future[Any]] = []

    async def send(n: int) -> float:
        partition = n % partitions
        sent[n] = (partition, per_partition[partition])
        per_partition[partition] += 1
        at = datetime.now(UTC)
        data = submission(f"{prefix}{partition}", at, n)
        message = build_message(
            data,
            source="/kota-live/permits",
            subject=str(data.application_id),
            trace_headers={},
            time=at,
        )
        stamp = time.time()
        deliveries.append(await producer.send(topic, partition=partition, **record_of(message)))
        return stamp

    schedule = Schedule(
        rate=rate,
        warmup=int(rate * warmup),
        count=int(rate * (warmup + duration)),
        # One sender: a partition's events are sent, so applied, in the order of their k.
        concurrency=1,
        max_backlog_seconds=1.0,
    )
    meter = CpuMeter({"app": app.pid})
    async with httpx.AsyncClient(
        base_url=app.base_url, headers=viewer_headers(signer), timeout=30
    ) as client:
        probes = _Seen(f"bench-probe-{run_id}-p", partitions, timezone)
        await _wait_until_consuming(client, probes, producer, topic, partitions)
        before = meter.sample()
        publishing = asyncio.create_task(run_paced(schedule, label="freshness", op=send))
        finished_at: float | None = None
        while True:
            began = time.perf_counter()
            try:
                await seen.poll(client)
            except httpx.HTTPError:
                seen.poll_errors += 1
            if publishing.done():
                finished_at = finished_at or time.monotonic()
                if len(seen.visible) >= len(sent) or time.monotonic() - finished_at > settle:
                    break
            await asyncio.sleep(max(0.0, poll_interval - (time.perf_counter() - began)))
        paced = await publishing
        used = CpuMeter.used(before, meter.sample())
    failed = sum(
        isinstance(outcome, BaseException)
        for outcome in await asyncio.gather(*deliveries, return_exceptions=True)
    )
    await producer.stop()
    measured = {n: where for n, where in sent.items() if n >= schedule.warmup}
    latencies = [
        seen.visible[where] - paced.origin[n]
        for n, where in measured.items()
        if where in seen.visible and n in paced.origin
    ]
    summary = latency_summary(latencies)
    # The longest wait for the API to show anything new while events kept coming: a stall.
    shown = sorted(set(seen.visible.values()))
    last_sent = max(paced.origin.values(), default=0.0)
    gaps = [b - a for a, b in itertools.pairwise(shown) if a <= last_sent]
    # How latency moved during the run, warm-up included: a backlog building up shows here.
    slices: dict[int, list[float]] = {}
    started = min(paced.origin.values(), default=0.0)
    for n, where in sent.items():
        if where in seen.visible and n in paced.origin:
            slice_of = int((paced.origin[n] - started) // 10)
            slices.setdefault(slice_of, []).append(seen.visible[where] - paced.origin[n])
    return {
        "rate_per_s": rate,
        "duration_s": duration,
        "warmup_s": warmup,
        "events_sent": len(sent),
        "events_measured": len(measured),
        "achieved_rate_per_s": round(len(sent) / (warmup + duration), 1),
        "skipped_as_unsustainable": paced.skipped,
        "delivery_failures": failed,
        "not_visible_within_timeout": len(measured) - len(latencies),
        "publish_to_visible": {
            **{k: v for k, v in summary.items() if k != "count"},
            **{
                f"{k.removesuffix('_ms')}_s": round(v / 1000, 3)
                for k, v in summary.items()
                if k.endswith("_ms")
            },
        },
        "p50_s_per_10_s_of_publishing": [
            round(percentile(sorted(slices[k]), 50), 2) for k in sorted(slices)
        ],
        "longest_wait_for_progress_s": round(max(gaps, default=0.0), 2),
        "poll_interval_s": poll_interval,
        "poll_request": latency_summary(seen.polls),
        "poll_errors": seen.poll_errors,
        "app_cpu_cores": round(used.trees["app"] / max(warmup + duration, 1e-9), 2),
        "machine_busy_pct": used.machine_busy_pct,
    }


async def _wait_until_consuming(
    client: httpx.AsyncClient,
    seen: _Seen,
    producer: AIOKafkaProducer,
    topic: str,
    partitions: int,
    *,
    within: float = 120.0,
) -> None:
    """One probe event per partition, until the API shows every one: the live consumer owns
    every partition and is applying (its group's first join is not what is measured)."""
    for partition in range(partitions):
        data = submission(f"{seen.prefix}{partition}", datetime.now(UTC), partition)
        message = build_message(
            data, source="/kota-live/permits", subject=str(data.application_id), trace_headers={}
        )
        await producer.send_and_wait(topic, partition=partition, **record_of(message))
    deadline = time.monotonic() + within
    while not all(seen.counted):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app applied no probe event within {within:g} s")
        await seen.poll(client)
        await asyncio.sleep(0.2)
    log("freshness: the app's consumer applies every partition; publishing")
