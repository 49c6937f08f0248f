"""Queries on recorded payments and refused reports (the only module here with SQL for them)."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.keyset import ListOrder, SortColumn
from kota_shared.pagination import Key
from payments.settlement.models import AnomalyKind, Channel, Outcome, Payment, PaymentAnomaly


async def recorded(session: AsyncSession, *, provider_transaction_id: str) -> Payment | None:
    """The payment recorded for the provider's transaction, if any."""
    return await session.scalar(
        select(Payment).where(Payment.provider_transaction_id == provider_transaction_id)
    )


async def insert_once(
    session: AsyncSession,
    *,
    provider_transaction_id: str,
    invoice_id: uuid.UUID,
    channel: Channel,
    reference: str,
    amount_rupiah: int,
    outcome: Outcome,
    paid_at: datetime,
    received_at: datetime,
) -> uuid.UUID | None:
    """Record a payment unless its provider transaction is recorded: its id, or None.

    The insert skips on the unique transaction id, so the same notification arriving
    several times at once waits on that key and only one of them records it.
    """
    return await session.scalar(
        insert(Payment)
        .values(
            id=uuid.uuid4(),
            provider_transaction_id=provider_transaction_id,
            invoice_id=invoice_id,
            channel=channel,
            reference=reference,
            amount_rupiah=amount_rupiah,
            outcome=outcome,
            paid_at=paid_at,
            received_at=received_at,
        )
        .on_conflict_do_nothing(index_elements=[Payment.provider_transaction_id])
        .returning(Payment.id)
    )


async def paid_on(session: AsyncSession, *, day: date, timezone: ZoneInfo) -> Sequence[Payment]:
    """Payments the provider says were made on ``day`` (local date), as a statement lists them."""
    start = datetime.combine(day, time.min, tzinfo=timezone)
    return (
        await session.scalars(
            select(Payment)
            .where(Payment.paid_at >= start, Payment.paid_at < start + timedelta(days=1))
            .order_by(Payment.paid_at)
        )
    ).all()


async def flag(
    session: AsyncSession,
    *,
    kind: AnomalyKind,
    provider_transaction_id: str,
    channel: str,
    reference: str,
    amount_rupiah: int,
    expected_rupiah: int | None,
    invoice_id: uuid.UUID | None,
) -> None:
    """Keep a refused report for finance officers."""
    session.add(
        PaymentAnomaly(
            kind=kind,
            provider_transaction_id=provider_transaction_id,
            channel=channel,
            reference=reference,
            amount_rupiah=amount_rupiah,
            expected_rupiah=expected_rupiah,
            invoice_id=invoice_id,
        )
    )


ANOMALY_ORDER = ListOrder(
    [
        SortColumn(PaymentAnomaly.flagged_at, descending=True),
        SortColumn(PaymentAnomaly.id, descending=True),
    ]
)
"""Refused settlement reports: the newest first."""
ANOMALY_KEY_TYPES = (datetime, int)


async def anomalies(
    session: AsyncSession, *, after: Key | None, limit: int
) -> Sequence[PaymentAnomaly]:
    """Refused reports in `ANOMALY_ORDER`, from the one after ``after`` on."""
    query = select(PaymentAnomaly)
    if after is not None:
        query = query.where(ANOMALY_ORDER.after(after))
    return (await session.scalars(query.order_by(*ANOMALY_ORDER.order_by()).limit(limit))).all()
