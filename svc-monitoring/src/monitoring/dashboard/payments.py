"""The payments page: invoices and revenue over time, and what the fees were for."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.dashboard.scope import time_grouping, timeline
from monitoring.filters import Period
from monitoring.measures import share
from monitoring.messages import _
from monitoring.pages.charts import Chart, Series
from monitoring.pages.tiles import Tile, compliance_tone
from monitoring.payments import figures
from monitoring.payments.figures import PaymentGrouping
from monitoring.permits.figures import PermitGrouping

_COUNTS = ("opened", "paid", "expired", "cancelled", "refunds", "anomalies", "revenue")


@dataclass(frozen=True)
class PaymentsPage:
    tiles: Sequence[Tile]
    revenue: Chart
    invoices: Chart
    by_item: Chart
    by_source: Sequence[Mapping[str, Any]]


async def revenue_timeline(session: AsyncSession, period: Period) -> tuple[Chart, Chart]:
    """Revenue per channel, and invoices opened, paid and expired, per day (or month)."""
    grouping = (
        PaymentGrouping.DAY
        if time_grouping(period) is PermitGrouping.DAY
        else PaymentGrouping.MONTH
    )
    rows = await figures.summary(session, period, grouping)
    by_point = {date.fromisoformat(row[grouping.value]): row for row in rows}
    points = timeline(period)
    monthly = grouping is PaymentGrouping.MONTH

    def values(name: str) -> list[float | str | None]:
        return [by_point[p][name] if p in by_point else 0 for p in points]

    revenue = Chart(
        key="payments-revenue",
        title=_("Revenue received"),
        labels=points,
        monthly=monthly,
        stacked=True,
        series=[
            Series(_("Virtual account"), values("revenue_va"), axis="money", tone="blue"),
            Series(_("QRIS"), values("revenue_qris"), axis="money", tone="violet"),
        ],
    )
    invoices = Chart(
        key="payments-invoices",
        title=_("Invoices over time"),
        labels=points,
        monthly=monthly,
        series=[
            Series(_("Opened"), values("opened"), tone="blue"),
            Series(_("Paid"), values("paid"), tone="green"),
            Series(_("Expired unpaid"), values("expired"), tone="red"),
        ],
    )
    return revenue, invoices


async def page(session: AsyncSession, *, period: Period) -> PaymentsPage:
    by_source = await figures.summary(session, period, PaymentGrouping.SOURCE)
    revenue, invoices = await revenue_timeline(session, period)
    items: dict[str, dict[str, int]] = defaultdict(lambda: {"payments": 0, "amount": 0})
    for row in await figures.revenue_by_permit_type(session, period):
        items[row["item"]]["payments"] += row["payments"]
        items[row["item"]]["amount"] += row["amount"]
    names = sorted(items, key=lambda item: -items[item]["amount"])
    total = {name: sum(row[name] for row in by_source) for name in _COUNTS}
    # Each source's share is of its own payments: weighted by them, it is the whole's.
    on_time = sum(round((row["paid_within_due_share"] or 0) * row["paid"]) for row in by_source)
    paid_within_due = share(on_time, total["paid"])
    return PaymentsPage(
        tiles=[
            Tile("revenue", _("Revenue received"), total["revenue"], axis="money"),
            Tile("opened", _("Invoices opened"), total["opened"]),
            Tile("paid", _("Invoices paid"), total["paid"]),
            Tile(
                "paid_within_due",
                _("Paid before the due time"),
                paid_within_due,
                axis="share",
                tone=compliance_tone(paid_within_due),
            ),
            Tile("expired", _("Expired unpaid"), total["expired"]),
            Tile(
                "anomalies",
                _("Payments that do not fit"),
                total["anomalies"],
                tone="bad" if total["anomalies"] else "good",
            ),
        ],
        revenue=revenue,
        invoices=invoices,
        by_item=Chart(
            key="payments-items",
            title=_("Revenue by what it was for"),
            labels=names,
            horizontal=True,
            series=[
                Series(_("Revenue"), [items[n]["amount"] for n in names], axis="money", tone="blue")
            ],
        ),
        by_source=by_source,
    )
