"""The permits pages: from the whole city down to its permit types, to their districts.

Four levels, by what is chosen: nothing (the city, per permit type), a permit type (per
district), a district (per permit type within it), or both (one type in one district, per
stage). Each level shows the same headline figures, the same time series and the backlog
for its scope, and links each row of its breakdown one level down. Every figure comes from
`monitoring.permits.figures`, as the API's do.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.i18n import Message
from monitoring.dashboard.scope import district_label, link, time_grouping, timeline
from monitoring.filters import Period
from monitoring.measures import share
from monitoring.messages import _
from monitoring.pages.charts import Chart, Series, Tone
from monitoring.pages.tiles import Tile, compliance_tone
from monitoring.permits import figures
from monitoring.permits.figures import AGE_BANDS, STAGES, PermitFilters, PermitGrouping

PATH = "/v1/monitoring/dashboard/permits"
Level = Literal["city", "type", "district", "cell"]
_SUMMED = ("received", "decided", "issued", "deemed_approved", "rejected", "cancelled")
_STAGE_NAMES: dict[str, Message] = {
    "verification": _("Verification"),
    "review": _("Review"),
    "end_to_end": _("End to end"),
}
_STAGE_TONES: tuple[Tone, ...] = ("blue", "teal", "green")
_AGE_TONES: tuple[Tone, ...] = ("green", "blue", "amber", "red")
_AGE_NAMES: dict[str, Message] = {
    "0_2": _("0-2 working days"),
    "3_5": _("3-5 working days"),
    "6_10": _("6-10 working days"),
    "over_10": _("Over 10 working days"),
}


@dataclass(frozen=True)
class PermitScope:
    permit_type: str | None = None
    kecamatan: str | None = None

    @property
    def level(self) -> Level:
        if self.permit_type and self.kecamatan:
            return "cell"
        if self.permit_type:
            return "type"
        return "district" if self.kecamatan else "city"

    @property
    def breakdown(self) -> PermitGrouping | None:
        """What the level's rows are: types, districts, or (one type in one district) none."""
        return {
            "city": PermitGrouping.PERMIT_TYPE,
            "type": PermitGrouping.KECAMATAN,
            "district": PermitGrouping.PERMIT_TYPE,
            "cell": None,
        }[self.level]


@dataclass(frozen=True)
class Row:
    """One row of a breakdown: a type or a district, its figures, and its next level."""

    key: str
    label: str | Message
    href: str | None
    figures: Mapping[str, Any]


@dataclass(frozen=True)
class Crumb:
    label: str | Message
    href: str


@dataclass(frozen=True)
class PermitsPage:
    scope: PermitScope
    crumbs: Sequence[Crumb]
    tiles: Sequence[Tile]
    timeline: Chart
    breakdown: Sequence[Row]
    breakdown_chart: Chart | None
    stages: Sequence[Mapping[str, Any]]
    backlog: Chart


async def page(
    session: AsyncSession,
    *,
    period: Period,
    now: datetime,
    scope: PermitScope,
    districts: Mapping[str, str],
) -> PermitsPage:
    filters = PermitFilters(period, scope.permit_type, scope.kecamatan)
    grouping = scope.breakdown or PermitGrouping.PERMIT_TYPE
    groups = await figures.service_levels(session, filters, grouping)
    series = await figures.service_levels(session, filters, time_grouping(period))
    backlog = await figures.backlog(
        session, now=now, permit_type=scope.permit_type, kecamatan=scope.kecamatan
    )

    def label(key: str) -> str | Message:
        return district_label(key, districts) if grouping is PermitGrouping.KECAMATAN else key

    rows = [
        Row(
            group[grouping.value],
            label(group[grouping.value]),
            _next_level(scope, period, group, grouping),
            group,
        )
        for group in groups
    ]
    return PermitsPage(
        scope=scope,
        crumbs=_crumbs(scope, period, districts),
        tiles=_tiles(groups, backlog),
        timeline=_timeline(period, series),
        breakdown=rows if scope.breakdown else [],
        breakdown_chart=_compliance_chart(rows) if scope.breakdown else None,
        stages=_stages(groups[0]) if not scope.breakdown and groups else [],
        backlog=_backlog_chart(scope, backlog, districts),
    )


def _next_level(
    scope: PermitScope, period: Period, group: Mapping[str, Any], grouping: PermitGrouping
) -> str | None:
    key = group[grouping.value]
    if grouping is PermitGrouping.KECAMATAN:
        # A district the events did not name has no code to narrow by.
        return link(PATH, period, permit_type=scope.permit_type, kecamatan=key) if key else None
    return link(PATH, period, permit_type=key, kecamatan=scope.kecamatan)


def _crumbs(scope: PermitScope, period: Period, districts: Mapping[str, str]) -> list[Crumb]:
    crumbs = [Crumb(_("All permit types"), link(PATH, period))]
    if scope.kecamatan and not scope.permit_type:
        crumbs.append(
            Crumb(
                district_label(scope.kecamatan, districts),
                link(PATH, period, kecamatan=scope.kecamatan),
            )
        )
    if scope.permit_type:
        crumbs.append(Crumb(scope.permit_type, link(PATH, period, permit_type=scope.permit_type)))
    if scope.permit_type and scope.kecamatan:
        crumbs.append(
            Crumb(
                district_label(scope.kecamatan, districts),
                link(PATH, period, permit_type=scope.permit_type, kecamatan=scope.kecamatan),
            )
        )
    return crumbs


def totals(groups: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The scope's figures from its groups': counts add up, and so do the cases a share is
    of, so a share over all groups is exact (a median is not: each group keeps its own)."""
    total: dict[str, Any] = {name: sum(g[name] for g in groups) for name in _SUMMED}
    for stage in STAGES:
        closed = sum(g[f"{stage}_closed"] for g in groups)
        on_time = sum(g[f"{stage}_on_time"] for g in groups)
        total |= {
            f"{stage}_closed": closed,
            f"{stage}_on_time": on_time,
            f"{stage}_compliance": share(on_time, closed),
        }
    return total


def _tiles(groups: Sequence[Mapping[str, Any]], backlog: Sequence[Mapping[str, Any]]) -> list[Tile]:
    total = totals(groups)
    compliance = total["end_to_end_compliance"]
    waiting = sum(row["open"] for row in backlog)
    overdue = sum(row["overdue"] for row in backlog)
    tiles = [
        Tile("received", _("Applications received"), total["received"]),
        Tile("decided", _("Decided"), total["decided"]),
        Tile("issued", _("Permits issued"), total["issued"]),
        Tile(
            "compliance",
            _("Decided within every deadline"),
            compliance,
            axis="share",
            tone=compliance_tone(compliance),
            hint=_("of {count} decided", count=total["end_to_end_closed"]),
        ),
        Tile(
            "deemed_approved",
            _("Approved by fiktif positif"),
            total["deemed_approved"],
            tone="warn" if total["deemed_approved"] else "plain",
            hint=_("no decision in time"),
        ),
        Tile("open", _("With the city now"), waiting),
        Tile("overdue", _("Past their deadline"), overdue, tone="bad" if overdue else "good"),
    ]
    if len(groups) == 1:
        p50 = groups[0]["end_to_end_p50_working_days"]
        tiles.insert(
            4,
            Tile(
                "p50",
                _("Median working days"),
                p50,
                axis="days",
                hint=_("with the city, every stage"),
            ),
        )
    return tiles


def _timeline(period: Period, rows: Sequence[Mapping[str, Any]]) -> Chart:
    grouping = time_grouping(period)
    by_point = {date.fromisoformat(row[grouping.value]): row for row in rows}
    points = timeline(period)

    def values(name: str) -> list[float | str | None]:
        return [by_point[p][name] if p in by_point else 0 for p in points]

    return Chart(
        key="permits-timeline",
        title=_("Applications and decisions over time"),
        labels=points,
        monthly=grouping is PermitGrouping.MONTH,
        series=[
            Series(_("Received"), values("received"), tone="blue"),
            Series(_("Decided"), values("decided"), tone="teal"),
            Series(_("Issued"), values("issued"), tone="green"),
            Series(
                _("Decided on time"),
                [by_point[p]["end_to_end_compliance"] if p in by_point else None for p in points],
                axis="share",
                line=True,
                tone="amber",
            ),
        ],
    )


def _compliance_chart(rows: Sequence[Row]) -> Chart:
    return Chart(
        key="permits-compliance",
        title=_("Compliance with deadlines"),
        labels=[row.label for row in rows],
        horizontal=True,
        series=[
            Series(
                _STAGE_NAMES[stage],
                [row.figures[f"{stage}_compliance"] for row in rows],
                axis="share",
                tone=tone,
            )
            for stage, tone in zip(STAGES, _STAGE_TONES, strict=True)
        ],
    )


def _stages(group: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": _STAGE_NAMES[stage],
            "closed": group[f"{stage}_closed"],
            "on_time": group[f"{stage}_on_time"],
            "compliance": group[f"{stage}_compliance"],
            "p50": group[f"{stage}_p50_working_days"],
            "p90": group[f"{stage}_p90_working_days"],
        }
        for stage in STAGES
    ]


def _backlog_chart(
    scope: PermitScope, rows: Sequence[Mapping[str, Any]], districts: Mapping[str, str]
) -> Chart:
    """Open applications by how long they have waited, per type, district or stage."""
    key = {"city": "permit_type", "type": "kecamatan", "district": "permit_type", "cell": "stage"}[
        scope.level
    ]
    bands: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(AGE_BANDS, 0))
    for row in rows:
        for band in AGE_BANDS:
            bands[row[key]][band] += row[f"age_{band}"]
    groups = sorted(bands)

    def named(group: str) -> str | Message:
        if key == "kecamatan":
            return district_label(group, districts)
        return _STAGE_NAMES.get(group, group) if key == "stage" else group

    return Chart(
        key="permits-backlog",
        title=_("Applications waiting, by time in their current stage"),
        labels=[named(group) for group in groups],
        stacked=True,
        horizontal=True,
        series=[
            Series(_AGE_NAMES[band], [bands[g][band] for g in groups], tone=tone)
            for band, tone in zip(AGE_BANDS, _AGE_TONES, strict=True)
        ],
    )
