"""The permits figures officials read, shaped from the read model's grouped rows."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.aggregates import plain
from monitoring.measures import percentile, share
from monitoring.permits import repository
from monitoring.permits.grouping import PermitFilters, PermitGrouping
from monitoring.permits.models import END_TO_END

__all__ = ["AGE_BANDS", "STAGES", "PermitFilters", "PermitGrouping", "backlog", "service_levels"]

STAGES = ("verification", "review", END_TO_END)
AGE_BANDS = ("0_2", "3_5", "6_10", "over_10")
"""The backlog's age bands, in whole working days waited in the current stage."""


async def service_levels(
    session: AsyncSession, filters: PermitFilters, grouping: PermitGrouping
) -> list[dict[str, Any]]:
    """Per group: volumes, the wait for payment, and per stage (and end to end) how many the
    city closed, how many on time, the share, and p50/p90 working days."""
    rows: dict[Any, dict[str, Any]] = {}
    for row in await repository.volumes(session, filters, grouping):
        rows[row["key"]] = {
            grouping.value: plain(row["key"]),
            **{name: int(row[name]) for name in repository.VOLUMES},
            "payment_wait_hours_mean": (
                round(row["wait"] / row["paid"] / 3600, 1) if row["paid"] else None
            ),
        }
    histograms: dict[tuple[Any, str], list[tuple[int, int, int]]] = defaultdict(list)
    for row in await repository.stage_durations(session, filters, grouping):
        histograms[(row["key"], row["stage"])].append(
            (row["working_days"], int(row["closed"]), int(row["on_time"]))
        )
    for group, figures in rows.items():
        for stage in STAGES:
            histogram = histograms.get((group, stage), [])
            closed = sum(n for _days, n, _on_time in histogram)
            on_time = sum(on for _days, _n, on in histogram)
            counts = [(days, n) for days, n, _on_time in histogram]
            figures |= {
                f"{stage}_closed": closed,
                f"{stage}_on_time": on_time,
                f"{stage}_compliance": share(on_time, closed),
                f"{stage}_p50_working_days": percentile(counts, 0.5),
                f"{stage}_p90_working_days": percentile(counts, 0.9),
            }
    return [rows[group] for group in sorted(rows)]


async def backlog(
    session: AsyncSession,
    *,
    now: datetime,
    permit_type: str | None = None,
    kecamatan: str | None = None,
) -> list[dict[str, Any]]:
    """Applications with the city now, per type, district and stage: how many, by age band
    (compared against the instants permits set, so no working day is recounted), at risk,
    and past their stage's deadline."""
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    found = await repository.open_cases(
        session, now=now, permit_type=permit_type, kecamatan=kecamatan
    )
    for row in found:
        group = (row["permit_type"], row["kecamatan_code"], row["stage"])
        figures = rows.setdefault(
            group,
            {
                "permit_type": group[0],
                "kecamatan": group[1],
                "stage": group[2],
                "open": 0,
                "overdue": 0,
                "at_risk": 0,
                **{f"age_{b}": 0 for b in AGE_BANDS},
            },
        )
        figures["open"] += row["open"]
        figures["overdue"] += row["overdue"]
        figures["at_risk"] += row["at_risk"]
        figures[f"age_{row['band']}"] += row["open"]
    return [rows[group] for group in sorted(rows)]
