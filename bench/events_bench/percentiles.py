"""Latency summaries: nearest-rank percentiles of seconds, reported in milliseconds."""

import math


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    index = max(0, math.ceil(p / 100 * len(ordered)) - 1)
    return ordered[index]


def summary_ms(seconds: list[float]) -> dict[str, float | int | None]:
    if not seconds:
        return {"count": 0, "p50_ms": None, "p90_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(seconds)
    return {
        "count": len(ordered),
        "mean_ms": round(1000 * sum(ordered) / len(ordered), 2),
        "p50_ms": round(1000 * percentile(ordered, 50), 2),
        "p90_ms": round(1000 * percentile(ordered, 90), 2),
        "p99_ms": round(1000 * percentile(ordered, 99), 2),
        "p999_ms": round(1000 * percentile(ordered, 99.9), 2),
        "max_ms": round(1000 * ordered[-1], 2),
    }
