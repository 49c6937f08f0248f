"""Profiles summed up: per function, per module and per middleware layer, per request.

Both profiles (profiler.py writes them) become the same records, (file, line, function), calls
(None for samples), own and cumulative seconds, so they are summed up the same way.
"""

import collections
import json
import os
import pstats
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import PACKAGE_DIR, SCRIPT


def _where(filename: str) -> str:
    """A short name for a profiled function's file."""
    if filename == "~":
        return ""
    for marker in ("/site-packages/", "/src/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    found = re.search(r"/lib/python3\.\d+/(.*)$", filename)
    return found.group(1) if found else filename


def _module_of(filename: str) -> str:
    """What own time is summed under: a module of ours, or a library / stdlib package."""
    if filename == "~":
        return "(C functions: sockets, builtins, C extensions)"
    short = _where(filename)
    parts = short.removesuffix(".py").split("/")
    if parts[0].startswith("kota_") or parts[0] in ("health",):
        return ".".join(p for p in parts if p != "__init__")
    return parts[0]


# Where a request's CPU goes in the gateway, from the cumulative times of nested functions
# (file suffix, function): a middleware's cumulative time covers everything inside it, so a
# layer's own cost is its cumulative time minus that of the next layer in.
_LAYERS = {
    "asgi_app": ("uvicorn/protocols/http/httptools_impl.py", "run_asgi"),
    "fastapi": ("fastapi/applications.py", "__call__"),
    "starlette": ("starlette/applications.py", "__call__"),
    "observability": ("kota_shared/observability.py", "__call__"),
    "rate_limit": ("kota_gateway/edge/ratelimit/middleware.py", "__call__"),
    "body_limit": ("kota_gateway/edge/body_limit.py", "__call__"),
    "proxy": ("kota_gateway/edge/proxy.py", "__call__"),
    "forward": ("kota_gateway/edge/proxy.py", "_forward"),
    "relay": ("kota_gateway/edge/proxy.py", "_relay"),
    # StreamingResponse streams the body in a task of an anyio task group (ASGI spec < 2.4, as
    # uvicorn's httptools protocol declares): that work runs outside run_asgi.
    "task_group_tasks": ("anyio/_core/_tasks.py", "_run_coro"),
    "logging": ("logging/__init__.py", "callHandlers"),
    "subject": ("kota_gateway/edge/ratelimit/subjects.py", "of"),
    "limit_hit": ("kota_gateway/edge/ratelimit/limiter.py", "hit"),
}


def _layers(cumulative_of: dict[tuple[str, int, str], float], total: float) -> dict[str, float]:
    c = dict.fromkeys(_LAYERS, 0.0)
    for (filename, _, function), cumulative in cumulative_of.items():
        for layer, (suffix, name) in _LAYERS.items():
            if function == name and filename.endswith(suffix):
                c[layer] += cumulative
    inner = c["rate_limit"] or c["body_limit"]  # the layer inside observability
    return {
        "outside_the_asgi_app (uvicorn protocol, event loop, background tasks)": total
        - c["asgi_app"]
        - c["task_group_tasks"],
        "fastapi_native_telemetry (FastAPI's own OpenTelemetry span + metrics)": c["fastapi"]
        - c["starlette"],
        "observability_middleware (request id, span, metrics, access log)": c["observability"]
        - inner,
        "rate_limit_middleware (token subject + limits hit + headers)": c["rate_limit"]
        - c["body_limit"]
        if c["rate_limit"]
        else 0.0,
        "  of which token subject (verify or cache)": c["subject"],
        "  of which limits hit": c["limit_hit"],
        "body_limit_middleware": c["body_limit"] - c["proxy"],
        "proxy_middleware (the whole relay)": c["proxy"],
        "  of which forward (build, send upstream, read the answer)": c["forward"],
        "  of which relay (send the answer to the caller)": c["relay"],
        "  logging, anywhere (the access log)": c["logging"],
    }


def _everything(filename: str) -> bool:
    """Frames under every sample (the benchmark's own: its entry script and this package, whose
    profile_main serves the gateway; asyncio's runner): no information."""
    return (
        filename == str(SCRIPT)
        or os.path.dirname(filename) == str(PACKAGE_DIR)
        or filename.endswith("asyncio/runners.py")
    )


def _summarize(
    records: Sequence[tuple[tuple[str, int, str], int | None, float, float]],
    *,
    requests: int,
    top: int,
) -> dict[str, Any]:
    """records: (file, line, function), calls (None if unknown), own and cumulative seconds."""
    per_request = 1e6 / max(requests, 1)
    total = sum(own for _, _, own, _ in records)
    by_module: dict[str, float] = collections.defaultdict(float)
    rows: list[dict[str, Any]] = []
    for (filename, line, function), calls, own, cumulative in records:
        by_module[_module_of(filename)] += own
        if _everything(filename):
            continue
        where = _where(filename)
        row: dict[str, Any] = {"function": f"{where}:{line}({function})" if where else function}
        if calls is not None:
            row["calls_per_request"] = round(calls / max(requests, 1), 2)
        row["own_us_per_request"] = round(own * per_request, 1)
        row["cumulative_us_per_request"] = round(cumulative * per_request, 1)
        rows.append(row)
    layers = _layers({key: cumulative for key, _, _, cumulative in records}, total)
    return {
        "cpu_us_per_request": round(total * per_request, 1),
        "layers_us_per_request": {name: round(v * per_request, 1) for name, v in layers.items()},
        "top_by_cumulative": sorted(rows, key=lambda r: -r["cumulative_us_per_request"])[:top],
        "top_by_own_time": sorted(rows, key=lambda r: -r["own_us_per_request"])[:top],
        "own_time_by_module": [
            {
                "module": module,
                "own_us_per_request": round(own * per_request, 1),
                "share_pct": round(100 * own / total, 1) if total else None,
            }
            for module, own in sorted(by_module.items(), key=lambda kv: -kv[1])[: top + 10]
        ],
    }


def summarize_cprofile(stats_path: Path, requests: int, top: int) -> dict[str, Any]:
    stats = pstats.Stats(str(stats_path))
    entries: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    records = [(key, calls, own, cum) for key, (_, calls, own, cum, _) in entries.items()]
    return _summarize(records, requests=requests, top=top)


def summarize_samples(samples_path: Path, requests: int, top: int) -> dict[str, Any]:
    data = json.loads(samples_path.read_text())
    # The kernel delivers ITIMER_PROF on its scheduler tick (often 4 ms, not the 1 ms asked
    # for): each sample stands for an equal share of the CPU time measured while sampling.
    interval = float(data["cpu_seconds"]) / max(int(data["samples"]), 1)
    own = {(f, line, name): n * interval for f, line, name, n in data["own"]}
    inclusive = {(f, line, name): n * interval for f, line, name, n in data["inclusive"]}
    records = [(key, None, own.get(key, 0.0), cum) for key, cum in inclusive.items()]
    return {
        "samples": data["samples"],
        "cpu_ms_per_sample": round(1000 * interval, 2),
        **_summarize(records, requests=requests, top=top),
    }
