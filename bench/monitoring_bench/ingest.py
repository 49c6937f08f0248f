"""Read-model ingestion: ``monitoring.rebuild.rebuild`` replaying the preloaded log.

The rebuild is what the service runs to build a generation of its read models from the log:
it migrates a fresh database, then one ``EventConsumer`` (the live service's, with
``until_caught_up``) applies every watched topic from its beginning, each partition's batch in
one transaction (inbox rows, the event counters and the read model's rows), committing the
offsets after each batch, until it reaches where the topics ended when it began. It runs here,
in the benchmark's process, so that process's CPU is the consumer's.
"""

import cProfile
import re
import time
from pathlib import Path
from typing import Any

from benchkit.procfs import CpuMeter, CpuTimes
from events_bench.servers import Infrastructure
from gateway_bench.profile_summary import summarize_cprofile

from monitoring.config import MonitoringSettings
from monitoring.rebuild import rebuild

from .config import REPO, log

PSTATS = REPO / ".kota" / "bench-monitoring-rebuild.pstats"
"""The rebuild's raw profile, kept after the run (``python -m pstats`` reads it)."""


def settings_for(
    infra: Infrastructure, database_url: str, topics: list[str], generation: int
) -> MonitoringSettings:
    """The monitoring service's settings for the run's database, topics and generation."""
    return MonitoringSettings(
        database_url=database_url,
        kafka_bootstrap_servers=infra.kafka,
        watched_topics=topics,
        read_models_generation=generation,
        migrate_on_start=False,
    )


def cpu_per_event(used: CpuTimes, events: int, wall_seconds: float) -> dict[str, Any]:
    """Each party's CPU in ms per event and in cores (CPU seconds per second), and how busy
    the whole machine was meanwhile."""
    parties = {"rebuild_process": used.this_process, **used.trees}
    return {
        "ms_per_event": {
            name: round(1000 * seconds / max(events, 1), 3) for name, seconds in parties.items()
        },
        "cores": {name: round(seconds / wall_seconds, 2) for name, seconds in parties.items()},
        "machine_busy_pct": used.machine_busy_pct,
    }


async def ingestion(
    infra: Infrastructure, database_url: str, topics: list[str], generation: int
) -> dict[str, Any]:
    """Events per second through the rebuild, and the CPU each party spent on them."""
    settings = settings_for(infra, database_url, topics, generation)
    meter = CpuMeter(infra.server_pids)
    before = meter.sample()
    began = time.perf_counter()
    report = await rebuild(settings)
    wall = time.perf_counter() - began
    used = CpuMeter.used(before, meter.sample())
    return {
        "consumer": report.consumer,
        "applied": report.applied,
        "duplicates": report.duplicates,
        "dead_lettered": report.dead_lettered,
        "seconds": report.seconds,
        "events_per_s": round(report.applied / max(report.seconds, 1e-9), 1),
        "seconds_with_migrations": round(wall, 1),
        "cpu": cpu_per_event(used, report.applied, wall),
    }


def _per_event(summary: Any) -> Any:
    """profile_summary's figures are per request: here, the requests are events."""
    if isinstance(summary, dict):
        return {
            re.sub(r"_per_request$", "_per_event", key): _per_event(value)
            for key, value in summary.items()
            if key != "layers_us_per_request"  # the gateway's middleware layers: none here
        }
    if isinstance(summary, list):
        return [_per_event(item) for item in summary]
    return summary


async def profiled_ingestion(
    infra: Infrastructure, database_url: str, topics: list[str], generation: int, *, top: int
) -> dict[str, Any]:
    """The same rebuild into another fresh database under cProfile (slower: its rate is not
    the measured one), summed up per event by function and by module."""
    settings = settings_for(infra, database_url, topics, generation)
    profiler = cProfile.Profile()
    log("profiling a second rebuild under cProfile")
    profiler.enable()
    try:
        report = await rebuild(settings)
    finally:
        profiler.disable()
    path: Path = PSTATS
    profiler.dump_stats(str(path))
    summary = summarize_cprofile(path, report.applied, top)
    return {
        "applied": report.applied,
        "seconds_under_profiler": report.seconds,
        "pstats": str(path),
        **_per_event(summary),
    }
