"""Queries on recorded payments and refused reports."""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from payments.settlement.models import Payment, PaymentAnomaly


async def paid_on(session: AsyncSession, day: date, timezone: ZoneInfo) -> Sequence[Payment]:
    """Payments the provider says were made on ``day`` (local date), as a statement lists them."""
    start = datetime.combine(day, time.min, tzinfo=timezone)
    return (
        await session.scalars(
            select(Payment)
            .where(Payment.paid_at >= start, Payment.paid_at < start + timedelta(days=1))
            .order_by(Payment.paid_at)
        )
    ).all()


async def anomalies(session: AsyncSession, *, limit: int) -> Sequence[PaymentAnomaly]:
    return (
        await session.scalars(
            select(PaymentAnomaly).order_by(PaymentAnomaly.flagged_at.desc()).limit(limit)
        )
    ).all()
