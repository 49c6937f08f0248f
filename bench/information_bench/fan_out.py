"""The fan-out: an information officer publishes one announcement to everyone through the
service's API (a draft first, unmeasured, then ``publish``); timed from the publish request
until the fan-out row says every inbox holds it (polled every ``--poll-interval``), with the
service's resident memory sampled meanwhile and every party's CPU counted.

The service fills the inboxes by itself, a chunk of ``INFORMATION_ANNOUNCEMENT_FAN_OUT_CHUNK``
citizens a transaction, after its fan-out task's next look (every
``INFORMATION_ANNOUNCEMENT_FAN_OUT_POLL_SECONDS``, 2 s): that wait is part of the time.
"""

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from benchkit.procfs import CpuMeter, tree_memory
from sqlalchemy.ext.asyncio import AsyncEngine

from kota_shared.testing.tokens import TestSigner

from . import readings
from .apps import App
from .config import log

ANNOUNCEMENTS = "/v1/information/announcements"
MB = 2**20


def announcement() -> dict[str, Any]:
    """What the city tells everyone: current at once, for a week."""
    return {
        "category": "public_services",
        "title": {
            "id": "Layanan Kota LIVE libur Natal",
            "en": "Kota LIVE services over Christmas",
        },
        "body": {
            "id": "Loket kecamatan tutup 25 Desember; layanan di aplikasi tetap buka.",
            "en": "District counters close on 25 December; the app's services stay open.",
        },
        "audience": {"kind": "everyone"},
        "publish_at": None,
        "expires_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
    }


def officer_headers(signer: TestSigner) -> dict[str, str]:
    """An information officer's bearer token, as the gateway would forward it."""
    token = signer.issue(str(uuid.uuid4()), roles=["information_officer"], ttl_seconds=3600)
    return {"Authorization": f"Bearer {token}"}


def _milestones(samples: list[tuple[float, int]], citizens: int) -> dict[str, float]:
    """Seconds from the publish request until each tenth of the inboxes held it."""
    found = {}
    for tenth in range(1, 11):
        wanted = citizens * tenth / 10
        first = next((at for at, recipients in samples if recipients >= wanted), None)
        if first is not None:
            found[f"{tenth * 10}%"] = round(first, 1)
    return found


async def fan_out(
    service: App,
    signer: TestSigner,
    *,
    engine: AsyncEngine,
    citizens: int,
    server_pids: dict[str, int],
    poll_interval: float,
    give_up_after: float,
) -> dict[str, Any]:
    """Publish, wait until every inbox holds the announcement, and say what it took."""
    meter = CpuMeter({"service": service.pid, **server_pids})
    idle = tree_memory(service.pid)
    async with httpx.AsyncClient(
        base_url=service.url, headers=officer_headers(signer), timeout=60
    ) as client:
        draft = await client.post(ANNOUNCEMENTS, json=announcement())
        draft.raise_for_status()
        announcement_id = uuid.UUID(draft.json()["id"])
        log("fan-out: publishing announcement %s to %d citizens", announcement_id, citizens)
        before = meter.sample()
        began = time.perf_counter()
        published = await client.post(f"{ANNOUNCEMENTS}/{announcement_id}/publish")
        published.raise_for_status()
    samples: list[tuple[float, int]] = []
    peak_rss = idle.rss_bytes
    progress = None
    deadline = began + give_up_after
    while time.perf_counter() < deadline:
        progress = await readings.fan_out(engine, announcement_id)
        peak_rss = max(peak_rss, tree_memory(service.pid).rss_bytes)
        if progress is not None:
            samples.append((time.perf_counter() - began, progress.recipients))
            if progress.completed_at is not None:
                break
            if len(samples) % max(1, round(30 / poll_interval)) == 0:
                log("fan-out: %d inboxes after %.0f s", progress.recipients, samples[-1][0])
        await asyncio.sleep(poll_interval)
    seconds = time.perf_counter() - began
    used = CpuMeter.used(before, meter.sample())
    after = tree_memory(service.pid)
    completed = progress is not None and progress.completed_at is not None
    log("fan-out: %s after %.1f s", "every inbox" if completed else "NOT finished", seconds)
    result: dict[str, Any] = {
        "announcement_id": str(announcement_id),
        "completed": completed,
        "publish_to_every_inbox_s": round(seconds, 1),
        "recipients": progress.recipients if progress else 0,
    }
    result["check"] = check = await readings.inboxes(engine, announcement_id)
    if progress is not None and progress.started_at and progress.completed_at:
        own = (progress.completed_at - progress.started_at).total_seconds()
        result["first_to_last_chunk_s"] = round(own, 1)
        result["inboxes_per_s"] = round(progress.recipients / max(own, 1e-9))
        # Each notice comes with its first message, planned in the same chunk's transaction.
        rows = check["notices"] + sum(v for k, v in check.items() if k.startswith("messages_"))
        result["rows_per_s"] = round(rows / max(own, 1e-9))
    result["inboxes_per_s_from_publish"] = round(result["recipients"] / max(seconds, 1e-9))
    result["progress_s"] = _milestones(samples, citizens)
    result["service_memory_mb"] = {
        "rss_before": round(idle.rss_bytes / MB, 1),
        "rss_peak_sampled": round(peak_rss / MB, 1),
        "rss_after": round(after.rss_bytes / MB, 1),
        "high_water_mark": round(after.peak_bytes / MB, 1),
    }
    thousands = max(result["recipients"], 1) / 1000
    parties = {"benchmark_process": used.this_process, **used.trees}
    result["cpu"] = {
        "seconds": {name: round(s, 1) for name, s in parties.items()},
        "ms_per_1000_inboxes": {
            name: round(1000 * s / thousands, 1) for name, s in parties.items()
        },
        "cores": {name: round(s / seconds, 2) for name, s in parties.items()},
        "machine_busy_pct": used.machine_busy_pct,
    }
    return result
