"""Queries on the payments read model (the only module here with SQL for it)."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import RowMapping, Table, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from monitoring.aggregates import UNKNOWN
from monitoring.filters import Period, month_of
from monitoring.payments.grouping import PaymentGrouping
from monitoring.payments.models import invoice_cases, payment_daily, revenue_daily
from monitoring.permits.models import permit_cases

COUNTS = (
    "opened",
    "opened_amount",
    "paid",
    "paid_within_due",
    "expired",
    "cancelled",
    "refunds",
    "refunded_amount",
    "anomalies",
)


async def invoice_for_update(session: AsyncSession, invoice_id: uuid.UUID) -> dict[str, Any] | None:
    row = (
        (
            await session.execute(
                select(invoice_cases)
                .where(invoice_cases.c.invoice_id == invoice_id)
                .with_for_update()
            )
        )
        .mappings()
        .one_or_none()
    )
    return dict(row) if row is not None else None


async def open_invoice(session: AsyncSession, **values: Any) -> None:
    """An invoice's row, unless it has one (a redelivered creation is no news)."""
    await session.execute(insert(invoice_cases).values(**values).on_conflict_do_nothing())


async def update_invoice(session: AsyncSession, invoice_id: uuid.UUID, **values: Any) -> None:
    await session.execute(
        update(invoice_cases).where(invoice_cases.c.invoice_id == invoice_id).values(**values)
    )


def add_paid_amount(amount: int) -> ColumnElement[Any]:
    """The invoice's paid amount plus ``amount``: a second payment adds to the first."""
    return func.coalesce(invoice_cases.c.paid_amount, 0) + amount


def _group_key(table: Table, grouping: PaymentGrouping) -> ColumnElement[Any]:
    match grouping:
        case PaymentGrouping.SOURCE:
            return table.c.source
        case PaymentGrouping.DAY:
            return table.c.day
        case PaymentGrouping.MONTH:
            return month_of(table.c.day)


def _where(table: Table, period: Period, source: str | None) -> list[ColumnElement[bool]]:
    conditions = [period.covers(table.c.day)]
    if source is not None:
        conditions.append(table.c.source == source)
    return conditions


async def daily_sums(
    session: AsyncSession, period: Period, grouping: PaymentGrouping, source: str | None
) -> Sequence[RowMapping]:
    """Per group (``key``): each of `COUNTS` summed."""
    key = _group_key(payment_daily, grouping).label("key")
    result = await session.execute(
        select(key, *(func.sum(payment_daily.c[name]).label(name) for name in COUNTS))
        .where(*_where(payment_daily, period, source))
        .group_by(key)
    )
    return result.mappings().all()


async def revenue_sums(
    session: AsyncSession, period: Period, grouping: PaymentGrouping, source: str | None
) -> Sequence[RowMapping]:
    """Per group (``key``) and ``channel``: the ``amount`` received."""
    key = _group_key(revenue_daily, grouping).label("key")
    result = await session.execute(
        select(key, revenue_daily.c.channel, func.sum(revenue_daily.c.amount).label("amount"))
        .where(*_where(revenue_daily, period, source))
        .group_by(key, revenue_daily.c.channel)
    )
    return result.mappings().all()


async def revenue_by_item(session: AsyncSession, period: Period) -> Sequence[RowMapping]:
    """Per permit type (other invoices by source) and channel: payments and amount, joined
    with the permits read model when asked, so the order topics are read in does not matter."""
    item = func.coalesce(permit_cases.c.permit_type, invoice_cases.c.source, UNKNOWN).label("item")
    result = await session.execute(
        select(
            item,
            invoice_cases.c.channel,
            func.count().label("payments"),
            func.sum(invoice_cases.c.paid_amount).label("amount"),
        )
        .select_from(
            invoice_cases.outerjoin(
                permit_cases, permit_cases.c.application_id == invoice_cases.c.application_id
            )
        )
        .where(invoice_cases.c.paid_day.between(period.since, period.until))
        .group_by(item, invoice_cases.c.channel)
        .order_by(item, invoice_cases.c.channel)
    )
    return result.mappings().all()
