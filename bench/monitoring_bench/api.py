"""The dashboard's API on the rebuilt read models: the app in a process of its own, and the
latency of each figures endpoint at the log's size.

The app is the service as deployed (``uvicorn monitoring.main:create_app --factory``, one
process) on the rebuilt database, as the generation the rebuild built, so its live consumer
goes on from where the rebuild stopped; its tokens are verified against a JWKS the benchmark
serves (``kota_shared.testing.tokens``), and every request carries a monitoring viewer's.
Each endpoint is asked ``--requests`` times by ``--connections`` keep-alive connections at
once (closed loop) after ``--api-warmup`` unmeasured requests.
"""

import asyncio
import collections
import contextlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from benchkit.procfs import CpuMeter
from events_bench.percentiles import percentile
from events_bench.servers import Infrastructure
from gateway_bench.processes import Children
from gateway_bench.servers import uvicorn_command, wait_ready

from kota_shared.testing.tokens import TestSigner

from .config import REPO, STATE_DIR, log

APP_LOG = REPO / ".kota" / "bench-monitoring-app.log"
"""The monitoring app's log of the last run, kept after it."""


@dataclass(frozen=True)
class App:
    """The monitoring app the benchmark started."""

    base_url: str
    pid: int
    log_path: str


def endpoints(today: date, admission_year: int) -> dict[str, str]:
    """Each figures view of the dashboard, over the last 365 days where it takes a period."""
    year = f"from={today - timedelta(days=364)}&to={today}"
    permits = "/v1/monitoring/permits/service-levels"
    return {
        "permits_service_levels_by_permit_type": f"{permits}?group_by=permit_type&{year}",
        "permits_service_levels_by_kecamatan": f"{permits}?group_by=kecamatan&{year}",
        "permits_service_levels_by_day": f"{permits}?group_by=day&{year}",
        "permits_service_levels_by_month": f"{permits}?group_by=month&{year}",
        "permits_backlog": "/v1/monitoring/permits/backlog",
        "payments_by_day": f"/v1/monitoring/payments?group_by=day&{year}",
        "revenue": f"/v1/monitoring/payments/revenue?{year}",
        "health_bookings": f"/v1/monitoring/health/bookings?{year}",
        "education_registrations": (
            f"/v1/monitoring/education/registrations?admission_year={admission_year}"
        ),
        "reach_by_kecamatan": f"/v1/monitoring/reach?by_kecamatan=true&{year}",
        "alerts_first_page": "/v1/monitoring/alerts",
        "event_counts": "/v1/monitoring/event-counts",
    }


def _environment(settings: dict[str, str]) -> dict[str, str]:
    """Ours, without monitoring settings a developer may have exported, and these."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("MONITORING_", "OTEL_"))}
    return {
        **kept,
        **{f"MONITORING_{name.upper()}": value for name, value in settings.items()},
        # Neither the working directory nor a script's folder on its sys.path: from bench/,
        # ``import monitoring`` would find the benchmark's entry script.
        "PYTHONSAFEPATH": "1",
    }


@contextlib.contextmanager
def app_process(
    children: Children,
    *,
    infra: Infrastructure,
    database_url: str,
    topics: list[str],
    generation: int,
    jwks_url: str,
    signer: TestSigner,
    log_level: str,
) -> Iterator[App]:
    """The monitoring app on the rebuilt database, until the block ends."""
    from kota_dev.ports import free_port

    port = free_port()
    log_path = STATE_DIR / "logs" / "monitoring.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = _environment(
        {
            "database_url": database_url,
            "kafka_bootstrap_servers": infra.kafka,
            "watched_topics": json.dumps(topics),
            "read_models_generation": str(generation),
            "jwks_url": jwks_url,
            "token_issuer": signer.issuer,
            "token_audience": signer.audience,
            "migrate_on_start": "false",
            "log_level": log_level,
        }
    )
    log("starting the monitoring app on port %d", port)
    child = children.spawn(
        "monitoring",
        uvicorn_command("monitoring.main:create_app", port, 1),
        env=env,
        log_path=log_path,
    )
    try:
        wait_ready(child, f"http://127.0.0.1:{port}/livez")
        yield App(f"http://127.0.0.1:{port}", child.process.pid, str(APP_LOG))
    finally:
        children.stop(child)
        # Kept after the run (the state directory is not): what the app said, to read.
        shutil.copyfile(log_path, APP_LOG)


def log_warnings(path: str, *, top: int = 8) -> dict[str, Any]:
    """How many of the app's log records were warnings or errors; the most frequent, each
    with its first time."""
    counts: collections.Counter[str] = collections.Counter()
    messages: collections.Counter[str] = collections.Counter()
    first_at: dict[str, str] = {}
    for line in Path(path).read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        level = str(record.get("level", ""))
        if level in ("WARNING", "ERROR", "CRITICAL"):
            counts[level] += 1
            message = f"{level} {record.get('logger')}: {str(record.get('message'))[:160]}"
            messages[message] += 1
            first_at.setdefault(message, str(record.get("time")))
    return {
        "counts": dict(counts),
        "most_frequent": [
            {"message": m, "times": n, "first_at": first_at[m]}
            for m, n in messages.most_common(top)
        ],
    }


def viewer_headers(signer: TestSigner) -> dict[str, str]:
    """A monitoring viewer's bearer token, as the gateway would forward it."""
    token = signer.issue(
        "bench-monitoring-viewer", roles=["monitoring_viewer"], ttl_seconds=4 * 3600
    )
    return {"Authorization": f"Bearer {token}"}


def latency_summary(seconds: list[float]) -> dict[str, Any]:
    if not seconds:
        return {"count": 0}
    ordered = sorted(seconds)
    return {
        "count": len(ordered),
        "mean_ms": round(1000 * sum(ordered) / len(ordered), 2),
        "p50_ms": round(1000 * percentile(ordered, 50), 2),
        "p95_ms": round(1000 * percentile(ordered, 95), 2),
        "p99_ms": round(1000 * percentile(ordered, 99), 2),
        "max_ms": round(1000 * ordered[-1], 2),
    }


async def _one_endpoint(
    client: httpx.AsyncClient, path: str, *, requests: int, connections: int, warmup: int
) -> dict[str, Any]:
    for _ in range(warmup):
        await client.get(path)
    seconds: list[float] = []
    statuses: collections.Counter[int] = collections.Counter()
    last: list[httpx.Response] = []
    numbers = iter(range(requests))

    async def connection() -> None:
        for _ in numbers:  # shared by every connection: ``requests`` in all
            began = time.perf_counter()
            response = await client.get(path)
            seconds.append(time.perf_counter() - began)
            statuses[response.status_code] += 1
            last[:] = [response]

    await asyncio.gather(*(connection() for _ in range(connections)))
    result = latency_summary(seconds)
    result["errors"] = sum(n for status, n in statuses.items() if status != 200)
    if last:
        body = last[0].content
        result["response_bytes"] = len(body)
        if last[0].status_code == 200:
            result["rows"] = len(json.loads(body))
        else:
            result["first_error"] = f"{last[0].status_code} {body[:300]!r}"
    return result


async def api_latency(
    app: App,
    signer: TestSigner,
    paths: dict[str, str],
    *,
    requests: int,
    connections: int,
    warmup: int,
    server_pids: dict[str, int],
) -> dict[str, Any]:
    """Each endpoint's latency, and the CPU the app (and PostgreSQL) spent per request."""
    meter = CpuMeter({"app": app.pid, **server_pids})
    before = meter.sample()
    began = time.perf_counter()
    results = {}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(
        base_url=app.base_url, headers=viewer_headers(signer), limits=limits, timeout=60
    ) as client:
        for name, path in paths.items():
            started = meter.sample()
            results[name] = {"path": path} | await _one_endpoint(
                client, path, requests=requests, connections=connections, warmup=warmup
            )
            spent = CpuMeter.used(started, meter.sample())
            results[name]["cpu_ms_per_request"] = {
                party: round(1000 * seconds / (requests + warmup), 2)
                for party, seconds in spent.trees.items()
            }
            log(
                "api, %d connections: %s p50 %.1f ms, p95 %.1f ms (%s rows)",
                connections,
                name,
                results[name].get("p50_ms", float("nan")),
                results[name].get("p95_ms", float("nan")),
                results[name].get("rows"),
            )
    wall = time.perf_counter() - began
    used = CpuMeter.used(before, meter.sample())
    measured = sum(r["count"] for r in results.values())
    asked = measured + warmup * len(paths)
    worst = max(results.items(), key=lambda kv: kv[1].get("p95_ms", float("inf")))
    return {
        "requests_per_endpoint": requests,
        "connections": connections,
        "warmup_per_endpoint": warmup,
        "endpoints": results,
        "worst_p95": {"endpoint": worst[0], "p95_ms": worst[1].get("p95_ms")},
        "errors": sum(r["errors"] for r in results.values()),
        "cpu_ms_per_request": {
            name: round(1000 * seconds / asked, 2) for name, seconds in used.trees.items()
        },
        "requests_per_s": round(asked / wall, 1),
        "machine_busy_pct": used.machine_busy_pct,
    }
