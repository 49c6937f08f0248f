"""The payments figures officials read, shaped from the read model's grouped rows."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kota_contracts.payments import Channel
from monitoring.aggregates import plain
from monitoring.filters import Period
from monitoring.measures import share
from monitoring.payments import repository
from monitoring.payments.grouping import PaymentGrouping

__all__ = ["CHANNELS", "PaymentGrouping", "revenue_by_permit_type", "summary"]

CHANNELS: tuple[Channel, ...] = ("va", "qris")
_SHOWN = tuple(name for name in repository.COUNTS if name != "paid_within_due")


async def summary(
    session: AsyncSession, period: Period, grouping: PaymentGrouping, source: str | None = None
) -> list[dict[str, Any]]:
    """Per group: invoices opened, paid (and the share paid before the due time), expired,
    cancelled, refunds and anomalies, and revenue per channel."""
    rows: dict[Any, dict[str, Any]] = {}
    for row in await repository.daily_sums(session, period, grouping, source):
        rows[row["key"]] = {
            grouping.value: plain(row["key"]),
            **{name: int(row[name]) for name in _SHOWN},
            "paid_within_due_share": share(row["paid_within_due"], row["paid"]),
            "revenue": 0,
            **{f"revenue_{channel}": 0 for channel in CHANNELS},
        }
    for row in await repository.revenue_sums(session, period, grouping, source):
        figures = rows.get(row["key"])
        if figures is not None:
            figures[f"revenue_{row['channel']}"] = int(row["amount"])
            figures["revenue"] += int(row["amount"])
    return [rows[group] for group in sorted(rows)]


async def revenue_by_permit_type(session: AsyncSession, period: Period) -> list[dict[str, Any]]:
    """Fees received in the period per permit type and channel (other sources by name)."""
    return [
        {
            "item": row["item"],
            "channel": row["channel"],
            "payments": row["payments"],
            "amount": int(row["amount"]),
        }
        for row in await repository.revenue_by_item(session, period)
    ]
