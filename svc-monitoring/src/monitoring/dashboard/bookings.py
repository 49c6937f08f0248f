"""The clinics page: places booked per facility and service, per visit day, and how full
the schedules are (the places still held out of those offered).

A fill rate is shown only where health said how many places it offered on those days (its
booking events say so from ``.v2`` on); where it did not, the places booked and held are
shown alone, and the page says so rather than guessing a capacity.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.dashboard.scope import days
from monitoring.filters import Period
from monitoring.health import figures
from monitoring.measures import share
from monitoring.messages import _
from monitoring.pages.charts import Chart, Series
from monitoring.pages.tiles import Tile

CAPACITY_NOT_KNOWN = _(
    "Where a clinic has not said how many places it offered, there is no fill rate: only "
    "the places booked and still held."
)


@dataclass(frozen=True)
class BookingsPage:
    tiles: Sequence[Tile]
    per_facility: Chart
    per_day: Chart
    rows: Sequence[Mapping[str, Any]]


def fill_rate(rows: Sequence[Mapping[str, Any]]) -> float | None:
    """Places held of those offered, over the rows whose places are known."""
    known = [row for row in rows if row["places"]]
    return share(sum(row["active"] for row in known), sum(row["places"] for row in known))


def facility_chart(rows: Sequence[Mapping[str, Any]]) -> Chart:
    """How full each facility's schedules are."""
    per_facility: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        per_facility[row["facility_code"]].append(row)
    names = sorted(per_facility)
    unknown = any(not row["places"] for row in rows)
    return Chart(
        key="clinics-facilities",
        title=_("Clinic places held of those offered, per facility"),
        labels=names,
        horizontal=True,
        note=CAPACITY_NOT_KNOWN if unknown else None,
        series=[
            Series(
                _("Fill rate"),
                [fill_rate(per_facility[n]) for n in names],
                axis="share",
                tone="teal",
            )
        ],
    )


def headline(rows: Sequence[Mapping[str, Any]]) -> list[Tile]:
    total = {
        name: sum(row[name] for row in rows)
        for name in ("booked", "cancelled", "active", "assisted", "places")
    }
    return [
        Tile("booked", _("Places booked"), total["booked"]),
        Tile("cancelled", _("Given back"), total["cancelled"]),
        Tile("active", _("Still held"), total["active"]),
        Tile("places", _("Places offered"), total["places"] or None),
        Tile("fill_rate", _("Fill rate"), fill_rate(rows), axis="share"),
        Tile("assisted", _("Booked at a kiosk"), total["assisted"]),
    ]


async def page(session: AsyncSession, *, period: Period) -> BookingsPage:
    rows = await figures.bookings(session, period, facility=None, by_day=False)
    daily = await figures.bookings(session, period, facility=None, by_day=True)
    per_day: dict[date, list[Mapping[str, Any]]] = defaultdict(list)
    for row in daily:
        per_day[date.fromisoformat(str(row["visit_date"]))].append(row)
    points = list(days(period))
    return BookingsPage(
        tiles=headline(rows),
        per_facility=facility_chart(rows),
        per_day=Chart(
            key="clinics-days",
            title=_("Places booked, per visit day"),
            labels=points,
            series=[
                Series(
                    _("Booked"), [sum(r["booked"] for r in per_day[p]) for p in points], tone="blue"
                ),
                Series(
                    _("Given back"),
                    [sum(r["cancelled"] for r in per_day[p]) for p in points],
                    tone="red",
                ),
                Series(
                    _("Fill rate"),
                    [fill_rate(per_day[p]) for p in points],
                    axis="share",
                    line=True,
                    tone="teal",
                ),
            ],
        ),
        rows=rows,
    )
