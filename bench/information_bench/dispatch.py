"""The dispatcher's sends per second through the simulator: the service restarted with the
SMS provider pointed at notifysim and identity's contacts at the gateway, sending the sample.

The sample's messages are the first the fan-out planned (the first citizens by account id,
whom the first chunks reached), so the dispatcher, which takes the soonest due first, sends
them before anything else. It begins as soon as the service starts: the measured window
opens when the service answers ``/livez`` (the sends taken by then are counted off) and
closes when the last of the sample is taken (polled every ``--poll-interval``). Per send:
from the moment the dispatcher marked a message ``sending`` (its ``sent_at``, just before
the provider call) to the simulator's ``accepted_at`` for it.
"""

import asyncio
import time
from datetime import datetime
from typing import Any

from benchkit.procfs import CpuMeter
from events_bench.percentiles import summary_ms
from sqlalchemy.ext.asyncio import AsyncEngine

from . import notifysim, readings
from .config import log


async def window(
    *,
    engine: AsyncEngine,
    sends: int,
    pids: dict[str, int],
    poll_interval: float,
    give_up_after: float,
) -> dict[str, Any]:
    """From now (the service just answered) until ``sends`` messages were taken or failed."""
    meter = CpuMeter(pids)
    before = meter.sample()
    began = time.perf_counter()
    at_start = await readings.sends(engine)
    count = at_start
    deadline = began + give_up_after
    while time.perf_counter() < deadline:
        count = await readings.sends(engine)
        if count["taken"] + count["failed"] >= sends:
            break
        await asyncio.sleep(poll_interval)
    seconds = time.perf_counter() - began
    used = CpuMeter.used(before, meter.sample())
    measured = count["taken"] - at_start["taken"]
    log(
        "dispatcher: %d sends in %.1f s (%d before the window)",
        measured,
        seconds,
        at_start["taken"],
    )
    parties = {"benchmark_process": used.this_process, **used.trees}
    return {
        "taken": count["taken"],
        "failed": count["failed"],
        "taken_before_window": at_start["taken"],
        "sends_in_window": measured,
        "window_s": round(seconds, 2),
        "sends_per_s": round(measured / max(seconds, 1e-9), 1),
        "cpu": {
            "ms_per_send": {
                name: round(1000 * s / max(measured, 1), 3) for name, s in parties.items()
            },
            "cores": {name: round(s / seconds, 2) for name, s in parties.items()},
            "machine_busy_pct": used.machine_busy_pct,
        },
    }


async def per_send(
    engine: AsyncEngine, simulator: notifysim.Simulator
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Each send's time from ``sending`` to taken, and the requests the simulator got (to
    replay them in the bare loop), read once the service has stopped."""
    marked = await readings.taken(engine)
    inbox = await notifysim.sent(simulator, list(marked))
    seconds = []
    requests = []
    for provider_id, sent_at in marked.items():
        message = inbox[provider_id]
        accepted_at = datetime.fromisoformat(message["accepted_at"])
        seconds.append((accepted_at - sent_at).total_seconds())
        requests.append(
            {"to": message["to"], "text": message["text"], "reference": message["reference"]}
        )
    last_taken = max(datetime.fromisoformat(m["accepted_at"]) for m in inbox.values())
    span = (last_taken - min(marked.values())).total_seconds()
    figures = {
        "statuses_at_end": await readings.statuses(engine),
        "sending_to_taken": summary_ms(seconds),
        "first_sending_to_last_taken_s": round(span, 2),
        "sends_per_s_first_to_last": round(len(inbox) / max(span, 1e-9), 1),
    }
    return figures, requests
