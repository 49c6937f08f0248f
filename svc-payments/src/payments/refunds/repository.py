"""Writing refunds (the only module here with SQL for them)."""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from payments.refunds.models import Refund


async def add(
    session: AsyncSession,
    *,
    refund_id: uuid.UUID,
    invoice_id: uuid.UUID,
    payment_id: uuid.UUID | None,
    amount_rupiah: int,
    reason: str,
    refunded_by: str,
    refunded_at: datetime,
) -> Refund:
    """Record a refund in the caller's transaction."""
    refund = Refund(
        id=refund_id,
        invoice_id=invoice_id,
        payment_id=payment_id,
        amount_rupiah=amount_rupiah,
        reason=reason,
        refunded_by=refunded_by,
        refunded_at=refunded_at,
    )
    session.add(refund)
    return refund
