"""The public transparency page: per service, how the city kept its deadlines, how long it
took, and how much it did each month, with no sign-in and no personal data.

Everything on it is an aggregate over months, permit types or school pathways, with small
cells suppressed (`monitoring.public.suppression`); the open datasets hold the same
figures per month for download.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.i18n import Message
from monitoring.dashboard.permits import totals
from monitoring.filters import Period
from monitoring.messages import _
from monitoring.pages.charts import Chart, Series
from monitoring.pages.tiles import Tile, compliance_tone
from monitoring.permits import figures as permits
from monitoring.permits.figures import PermitFilters, PermitGrouping
from monitoring.public import datasets
from monitoring.public.datasets import Scope, permit_figures
from monitoring.public.suppression import suppress

MONTHS_SHOWN = 12


def last_months(today: date) -> Period:
    """The current month and the eleven before it, up to today."""
    first = today.replace(day=1)
    for _month in range(MONTHS_SHOWN - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return Period(since=first, until=today)


def calendar_year(year: int) -> Period:
    return Period(since=date(year, 1, 1), until=date(year, 12, 31))


@dataclass(frozen=True)
class TransparencyPage:
    scope: Scope
    permit_tiles: Sequence[Tile]
    permit_months: Chart
    permit_types: Sequence[Mapping[str, Any]]
    clinic_months: Chart
    payment_months: Chart
    schools: Sequence[Mapping[str, Any]]
    datasets: Sequence[datasets.Dataset]


def _month_labels(scope: Scope) -> list[date]:
    return [month.since.replace(day=1) for month in scope.months()]


async def page(session: AsyncSession, *, scope: Scope) -> TransparencyPage:
    minimum = scope.minimum
    counts, derived = (
        ("received", "decided", "issued"),
        {
            "on_time_share": "decided",
            "median_working_days": "decided",
        },
    )
    by_type = await permits.service_levels(
        session, PermitFilters(scope.period), PermitGrouping.PERMIT_TYPE
    )
    whole = totals(by_type)
    (headline,) = suppress(
        [
            {
                "received": whole["received"],
                "decided": whole["end_to_end_closed"],
                "issued": whole["issued"],
                "on_time_share": whole["end_to_end_compliance"],
            }
        ],
        minimum=minimum,
        counts=counts,
        derived={"on_time_share": "decided"},
    )
    # The headline is the types' total, so a lone small type would be given away by it.
    types = suppress(
        [{"permit_type": row["permit_type"]} | permit_figures(row) for row in by_type],
        minimum=minimum,
        counts=counts,
        derived=derived,
        margins=(None,),
    )
    by_month = {
        row["month"]: row
        for row in await permits.service_levels(
            session, PermitFilters(scope.period), PermitGrouping.MONTH
        )
    }
    labels = _month_labels(scope)
    empty = {name: 0 for name in counts} | dict.fromkeys(derived)
    months = suppress(
        [
            permit_figures(by_month[m.isoformat()]) if m.isoformat() in by_month else empty
            for m in labels
        ],
        minimum=minimum,
        counts=counts,
        derived=derived,
        margins=(None,),
    )
    services = await datasets.SERVICES_BY_MONTH.rows(session, scope)
    on_time = headline["on_time_share"]
    return TransparencyPage(
        scope=scope,
        permit_tiles=[
            Tile("received", _("Applications received"), headline["received"]),
            Tile("decided", _("Decided"), headline["decided"]),
            Tile(
                "on_time_share",
                _("Decided within every deadline"),
                on_time,
                axis="share",
                tone=compliance_tone(on_time if isinstance(on_time, float) else None),
            ),
            Tile("issued", _("Permits issued"), headline["issued"]),
        ],
        permit_months=Chart(
            key="public-permits",
            title=_("Permits per month"),
            labels=labels,
            monthly=True,
            series=[
                Series(_("Received"), [m["received"] for m in months], tone="blue"),
                Series(_("Issued"), [m["issued"] for m in months], tone="green"),
                Series(
                    _("Decided on time"),
                    [m["on_time_share"] for m in months],
                    axis="share",
                    line=True,
                    tone="amber",
                ),
            ],
        ),
        permit_types=types,
        clinic_months=_monthly(
            "public-clinics",
            _("Clinic places booked per month"),
            labels,
            services,
            [(_("Places booked"), "clinic_places_booked", "count", "blue")],
        ),
        payment_months=_monthly(
            "public-payments",
            _("Invoices paid and revenue per month"),
            labels,
            services,
            [
                (_("Revenue received"), "revenue_rupiah", "money", "blue"),
                (_("Invoices paid"), "invoices_paid", "count", "teal"),
            ],
        ),
        schools=await datasets.SCHOOL_REGISTRATIONS.rows(session, scope),
        datasets=list(datasets.DATASETS.values()),
    )


def _monthly(
    key: str,
    title: Message,
    labels: list[date],
    rows: Sequence[Mapping[str, Any]],
    shown: Sequence[tuple[Message, str, Any, Any]],
) -> Chart:
    return Chart(
        key=key,
        title=title,
        labels=labels,
        monthly=True,
        series=[
            Series(
                label,
                [row[name] for row in rows],
                axis=axis,
                line=axis == "count" and len(shown) > 1,
                tone=tone,
            )
            for label, name, axis, tone in shown
        ],
    )
