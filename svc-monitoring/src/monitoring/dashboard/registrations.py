"""The schools page: one admission year's registrations per level and pathway, and per
school, against the places each pathway offers.

A fill rate is shown only where education said the pathway's quota (its registration
events say so from ``.v2`` on); it may pass 100 %: more apply than fit, and selection
decides. Where a quota is not known, the registrations are shown alone.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.education import figures
from monitoring.measures import share
from monitoring.messages import _
from monitoring.pages.charts import Chart, Series
from monitoring.pages.tiles import Tile

QUOTA_NOT_KNOWN = _(
    "Where a school has not said a pathway's quota, there is no fill rate: only the "
    "registrations still active."
)


@dataclass(frozen=True)
class RegistrationsPage:
    admission_year: int
    tiles: Sequence[Tile]
    per_pathway: Chart
    rows: Sequence[Mapping[str, Any]]


def fill_rate(rows: Sequence[Mapping[str, Any]]) -> float | None:
    """Active registrations per place, over the rows whose pathway quota is known."""
    known = [row for row in rows if row["pathway_quota"]]
    return share(sum(row["active"] for row in known), sum(row["pathway_quota"] for row in known))


def pathway_chart(rows: Sequence[Mapping[str, Any]]) -> Chart:
    """Active registrations against the places, per school level and pathway."""
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[f"{row['level']} · {row['pathway']}"].append(row)
    names = sorted(groups)
    return Chart(
        key="schools-pathways",
        title=_("School registrations against the places, per level and pathway"),
        labels=names,
        horizontal=True,
        note=QUOTA_NOT_KNOWN if any(not row["pathway_quota"] for row in rows) else None,
        series=[
            Series(
                _("Active registrations per place"),
                [fill_rate(groups[n]) for n in names],
                axis="share",
                tone="blue",
            )
        ],
    )


def headline(rows: Sequence[Mapping[str, Any]]) -> list[Tile]:
    total = {
        name: sum(row[name] for row in rows)
        for name in ("submitted", "withdrawn", "active", "verified", "assisted", "pathway_quota")
    }
    return [
        Tile("submitted", _("Registrations submitted"), total["submitted"]),
        Tile("withdrawn", _("Withdrawn"), total["withdrawn"]),
        Tile("active", _("Active"), total["active"]),
        Tile("places", _("Places in the pathways"), total["pathway_quota"] or None),
        Tile("fill_rate", _("Active registrations per place"), fill_rate(rows), axis="share"),
        Tile("verified", _("Documents verified"), total["verified"]),
        Tile("assisted", _("Registered at a kiosk"), total["assisted"]),
    ]


async def page(session: AsyncSession, *, admission_year: int) -> RegistrationsPage:
    rows = await figures.registrations(
        session, admission_year=admission_year, school=None, level=None
    )
    return RegistrationsPage(
        admission_year=admission_year,
        tiles=headline(rows),
        per_pathway=pathway_chart(rows),
        rows=rows,
    )
