"""Issuing refunds: posted to the ledger and announced, never above what remains."""

import uuid
from datetime import datetime

from kota_contracts.payments import RefundIssued
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.events.outbox import Outbox
from payments.invoices.models import Invoice, InvoiceStatus
from payments.ledger import postings
from payments.ledger import repository as ledger
from payments.problems import InvoiceNotRefundable, RefundableChanged, RefundExceedsRefundable
from payments.refunds.models import Refund

SYSTEM = "system"
REFUNDABLE = frozenset({InvoiceStatus.PAID, InvoiceStatus.PARTIALLY_REFUNDED})


async def refund(
    session: AsyncSession,
    outbox: Outbox,
    invoice: Invoice,
    *,
    amount: int,
    reason: str,
    by: str,
    expected_refundable: int | None,
    now: datetime,
) -> Refund:
    """A finance officer's refund of a paid invoice (the caller holds its row lock)."""
    if invoice.status not in REFUNDABLE:
        raise InvoiceNotRefundable(current_status=invoice.status.value)
    if expected_refundable is not None and expected_refundable != invoice.refundable_rupiah:
        raise RefundableChanged(refundable=invoice.refundable_rupiah)
    if amount > invoice.refundable_rupiah:
        raise RefundExceedsRefundable(
            f"At most {invoice.refundable_rupiah} can still be refunded.",
            refundable=invoice.refundable_rupiah,
        )
    invoice.refunded_rupiah += amount
    invoice.status = (
        InvoiceStatus.REFUNDED
        if invoice.refundable_rupiah == 0
        else InvoiceStatus.PARTIALLY_REFUNDED
    )
    refund_id = uuid.uuid4()
    await ledger.post(
        session=session,
        journal=postings.refund_issued(invoice.id, invoice.source, amount, str(refund_id)),
        at=now,
    )
    return await _record(
        session,
        outbox,
        invoice,
        refund_id,
        None,
        amount,
        reason,
        by,
        now,
        invoice.refundable_rupiah,
    )


async def refund_late_payment(
    session: AsyncSession,
    outbox: Outbox,
    invoice: Invoice,
    payment_id: uuid.UUID,
    amount: int,
    *,
    now: datetime,
) -> Refund:
    """Send back a payment that arrived when the invoice was no longer open."""
    refund_id = uuid.uuid4()
    await ledger.post(
        session=session,
        journal=postings.refund_of_unowed_payment(invoice.id, amount, str(refund_id)),
        at=now,
    )
    reason = f"Payment received after the invoice was {invoice.status.value}."
    return await _record(
        session, outbox, invoice, refund_id, payment_id, amount, reason, SYSTEM, now, 0
    )


async def _record(
    session: AsyncSession,
    outbox: Outbox,
    invoice: Invoice,
    refund_id: uuid.UUID,
    payment_id: uuid.UUID | None,
    amount: int,
    reason: str,
    by: str,
    now: datetime,
    remaining: int,
) -> Refund:
    refund_row = Refund(
        id=refund_id,
        invoice_id=invoice.id,
        payment_id=payment_id,
        amount_rupiah=amount,
        reason=reason,
        refunded_by=by,
        refunded_at=now,
    )
    session.add(refund_row)
    await outbox.add(
        session,
        RefundIssued(
            refund_id=refund_row.id,
            invoice_id=invoice.id,
            payer_id=invoice.payer_id,
            source=invoice.source,
            source_reference=invoice.source_reference,
            amount=amount,
            reason=reason,
            refunded_at=now,
            remaining_refundable=remaining,
        ),
        subject=str(invoice.id),
    )
    return refund_row
