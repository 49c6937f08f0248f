"""The report: one JSON document with the machine, the parameters, the results, the goals.

Goals (from the issue): gateway throughput >= 0.8 x nginx's; auth + limiting cost <= 10% of
throughput; added p50 <= 1 ms at half the maximum rate; and no failed request.
"""

import argparse
from typing import Any

from benchkit.machine import MachineLoad, machine_report

from .config import PATH, SCENARIO_MEANING

# How to read the figures; part of every report.
NOTES = (
    "Everything shares this machine's CPUs: PostgreSQL, the service, the proxy under "
    "test and the load generator. Throughput is therefore bounded by the CPU all of them "
    "use per request; cpu.us_per_request (from /proc, per process tree, divided by the "
    "2xx answers of the measured window) shows who used it, other_processes being the "
    "rest of the machine (other work disturbs the figures: see machine.load_average_* "
    "and cpu_pressure_*).",
    "Closed loop: each connection sends its next request when the previous answer is "
    "complete; requests_per_second counts 2xx answers to requests started in the "
    "measured window; latency is from writing the request to the end of the answer.",
    "Open loop (half_rate): request i is due at start + i/rate; it waits for a free "
    "connection of the pool (that wait counts in its latency), and is skipped "
    "(skipped_as_unsustainable) when a second's worth of requests is already in flight. "
    "Latency is from the moment it was sent for (timer lateness, a property of the load "
    "generator, is excluded and reported as send_lateness_*).",
    "Processes: nginx worker_processes = the gateway's uvicorn processes (--workers); the "
    "service runs --service-workers uvicorn processes. uvicorn uses uvloop and httptools.",
    "Logging: the service and the gateways write one JSON access-log line per request "
    "(level --log-level) to a file; nginx writes its combined access log to a file.",
    "The gateway's rate limiter verifies a token the first time it sees it and caches "
    "the subject until exp: with --tokens distinct tokens used in turn, verification "
    "happens during the warm-up and steady state costs a cache lookup "
    "(micro.token_verify_uncached_us is the cost of a cache miss).",
    "profile: one gateway process, profiled twice in turn under the same closed-loop "
    "load: cprofile (deterministic, with call counts; wall-clock timer, so time the "
    "process spent preempted lands on whatever function was running; it also slows "
    "Python code about twofold) and cpu_sampling (SIGPROF on the process's CPU time: "
    "preemption-proof, a few % overhead; time in C code is counted to the Python "
    "function that called it). Compare shares, not absolute times, with the unprofiled "
    "runs' cpu.us_per_request.proxy. layers_us_per_request derives each middleware's own "
    "cost from the cumulative time of the nested calls (a layer minus the next one in).",
)


# What is on a request's path (and the load generator's parser): their versions are reported.
LIBRARIES = (
    "uvicorn",
    "uvloop",
    "httptools",
    "fastapi",
    "starlette",
    "aiohttp",
    "limits",
    "pyjwt",
    "cryptography",
    "sqlalchemy",
    "asyncpg",
    "opentelemetry-sdk",
    "prometheus-client",
)


def _brief(result: dict[str, Any] | None) -> dict[str, Any] | None:
    if result is None:
        return None
    keys = ("requests_per_second", "p50_ms", "p90_ms", "p99_ms", "errors")
    return {**{k: result.get(k) for k in keys}, "detail": result}


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def report(
    *,
    args: argparse.Namespace,
    scenarios: list[str],
    checks: dict[str, Any],
    maximum: dict[str, Any],
    half: dict[str, Any],
    rate: float | None,
    micro: dict[str, Any],
    profile: dict[str, Any] | None,
    versions: dict[str, Any],
    machine_before: MachineLoad,
) -> dict[str, Any]:
    """The JSON document: what ran, the results per scenario, ratios and goals, the notes."""

    def rps(name: str) -> float | None:
        return maximum[name]["requests_per_second"] if name in maximum else None

    def added_p50(name: str) -> float | None:
        if name not in half or "direct" not in half:
            return None
        a, b = half[name]["p50_ms"], half["direct"]["p50_ms"]
        return round(a - b, 3) if a is not None and b is not None else None

    gateway_vs_nginx = _ratio(rps("gateway"), rps("nginx"))
    full_vs_bare = _ratio(rps("gateway"), rps("gateway_auth_limits_off"))
    auth_cost = round(1 - full_vs_bare, 3) if full_vs_bare is not None else None
    gateway_added = added_p50("gateway")
    errors = sum(r["errors"] for r in (*maximum.values(), *half.values()))

    def goal(value: float | None, target: float, *, at_least: bool) -> dict[str, Any]:
        met = None if value is None else (value >= target if at_least else value <= target)
        return {"value": value, "target": target, "met": met}

    return {
        "bench": "gateway",
        "machine": machine_report(
            before=machine_before,
            servers={"nginx": versions.get("nginx"), "postgres": versions.get("postgres")},
            libraries=LIBRARIES,
        ),
        "params": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "concurrency": args.concurrency,
            "gateway_processes": args.workers,
            "nginx_worker_processes": args.workers,
            "service_processes": args.service_workers,
            "tokens": args.tokens,
            "log_level": args.log_level,
            "kafka": args.kafka,
            "half_rate_per_s": rate,
        },
        "endpoint": {
            "request": f"GET {PATH}",
            "service": "health (kota_shared app: request id, trace, metrics, JSON access log; "
            "one transaction per request with SQLAlchemy + asyncpg)",
            "reads": "one row of facilities (the district's only facility), ~260-byte JSON list",
            "token": "Authorization: Bearer <citizen access token> on every request in every "
            "scenario; the endpoint is public, so only the gateway ever verifies it",
        },
        "scenarios": {name: SCENARIO_MEANING[name] for name in scenarios},
        "checks": checks,
        "max_throughput": {name: _brief(maximum.get(name)) for name in scenarios},
        "half_rate": {
            "rate_per_s": rate,
            **{name: _brief(half.get(name)) for name in scenarios},
            "added_p50_ms_vs_direct": {
                name: added_p50(name) for name in scenarios if name != "direct"
            },
        },
        "ratios": {
            "gateway_vs_nginx_throughput": gateway_vs_nginx,
            "gateway_auth_limits_off_vs_nginx_throughput": _ratio(
                rps("gateway_auth_limits_off"), rps("nginx")
            ),
            "nginx_vs_direct_throughput": _ratio(rps("nginx"), rps("direct")),
            "gateway_vs_direct_throughput": _ratio(rps("gateway"), rps("direct")),
            "auth_limits_cost": auth_cost,
        },
        "goals": {
            "gateway_throughput_ge_0_8_nginx": goal(gateway_vs_nginx, 0.8, at_least=True),
            "auth_limits_cost_le_10pct": goal(auth_cost, 0.10, at_least=False),
            "added_p50_le_1ms_at_half_rate": goal(gateway_added, 1.0, at_least=False),
            "no_errors": errors == 0,
        },
        "micro": micro,
        "profile": profile,
        "notes": list(NOTES),
    }
