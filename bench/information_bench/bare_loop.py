"""The bare loop: the very SMS requests the dispatcher made (the same numbers, texts and
references, from the simulator's inbox), POSTed straight to the simulator by a loop of httpx
calls with as many in flight as the dispatcher's ``dispatch_concurrency``: what the
simulator takes with nothing of the service around it, on the same machine in the same run.

Per send: the client's round trip, and, to set beside the dispatcher's figure, from just
before the request to the simulator's ``accepted_at`` (read from its inbox afterwards)."""

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from benchkit.procfs import CpuMeter
from events_bench.percentiles import summary_ms

from . import notifysim
from .config import log


async def bare_loop(
    simulator: notifysim.Simulator, requests: list[dict[str, Any]], *, concurrency: int
) -> dict[str, Any]:
    meter = CpuMeter({"notifysim": simulator.app.pid})
    round_trips: list[float] = []
    started: dict[str, datetime] = {}  # the simulator's message id -> just before the POST
    refused = 0
    pending = iter(requests)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {simulator.api_key}"}
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=30) as client:

        async def sender() -> None:
            nonlocal refused
            for body in pending:  # shared by every sender: each request once
                at = datetime.now(UTC)
                began = time.perf_counter()
                response = await client.post(simulator.sms_url, json=body)
                round_trips.append(time.perf_counter() - began)
                if response.status_code == httpx.codes.ACCEPTED:
                    started[response.json()["message_id"]] = at
                else:
                    refused += 1

        before = meter.sample()
        began = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        seconds = time.perf_counter() - began
        used = CpuMeter.used(before, meter.sample())
    log("bare loop: %d sends in %.1f s", len(started), seconds)
    inbox = await notifysim.sent(simulator, list(started))
    to_taken = [
        (datetime.fromisoformat(inbox[message_id]["accepted_at"]) - at).total_seconds()
        for message_id, at in started.items()
    ]
    parties = {"benchmark_process": used.this_process, **used.trees}
    return {
        "sends": len(started),
        "refused": refused,
        "concurrency": concurrency,
        "seconds": round(seconds, 2),
        "sends_per_s": round(len(started) / max(seconds, 1e-9), 1),
        "round_trip": summary_ms(round_trips),
        "request_to_taken": summary_ms(to_taken),
        "cpu": {
            "ms_per_send": {
                name: round(1000 * s / max(len(started), 1), 3) for name, s in parties.items()
            },
            "cores": {name: round(s / seconds, 2) for name, s in parties.items()},
            "machine_busy_pct": used.machine_busy_pct,
        },
    }
