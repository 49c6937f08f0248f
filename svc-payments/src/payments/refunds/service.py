"""Issuing refunds: posted to the ledger and announced, never above what remains."""

import uuid

from kota_contracts.payments import RefundIssued
from kota_shared.i18n import Rupiah
from kota_shared.transaction import Transaction
from payments.invoices import service as invoices
from payments.invoices.models import Invoice, InvoiceStatus
from payments.ledger import postings
from payments.ledger import repository as ledger
from payments.messages import _
from payments.problems import InvoiceNotRefundable, RefundableChanged, RefundExceedsRefundable
from payments.refunds import repository
from payments.refunds.models import Refund

SYSTEM = "system"
REFUNDABLE = frozenset({InvoiceStatus.PAID, InvoiceStatus.PARTIALLY_REFUNDED})


async def refund(
    tx: Transaction,
    *,
    invoice_id: uuid.UUID,
    amount: int,
    reason: str,
    by: str,
    expected_refundable: int | None,
) -> Refund:
    """A finance officer's refund of a paid invoice, under its row lock (404 if none).

    The invoice is locked here, inside the idempotent operation, so a retried request is
    answered from its key before it waits on the invoice.
    """
    invoice = await invoices.locked(tx, invoice_id=invoice_id)
    if invoice.status not in REFUNDABLE:
        raise InvoiceNotRefundable(current_status=invoice.status.value)
    if expected_refundable is not None and expected_refundable != invoice.refundable_rupiah:
        raise RefundableChanged(refundable=invoice.refundable_rupiah)
    if amount > invoice.refundable_rupiah:
        raise RefundExceedsRefundable(
            _(
                "At most {amount} can still be refunded.",
                amount=Rupiah(invoice.refundable_rupiah),
            ),
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
        tx.session,
        journal=postings.refund_issued(invoice.id, invoice.source, amount, str(refund_id)),
        at=tx.now,
    )
    return await _record(
        tx,
        invoice=invoice,
        refund_id=refund_id,
        payment_id=None,
        amount=amount,
        reason=reason,
        by=by,
        remaining=invoice.refundable_rupiah,
    )


async def refund_late_payment(
    tx: Transaction, *, invoice: Invoice, payment_id: uuid.UUID, amount: int
) -> Refund:
    """Send back a payment that arrived when the invoice was no longer open."""
    refund_id = uuid.uuid4()
    await ledger.post(
        tx.session,
        journal=postings.refund_of_unowed_payment(invoice.id, amount, str(refund_id)),
        at=tx.now,
    )
    return await _record(
        tx,
        invoice=invoice,
        refund_id=refund_id,
        payment_id=payment_id,
        amount=amount,
        reason=f"Payment received after the invoice was {invoice.status.value}.",
        by=SYSTEM,
        remaining=0,
    )


async def _record(
    tx: Transaction,
    *,
    invoice: Invoice,
    refund_id: uuid.UUID,
    payment_id: uuid.UUID | None,
    amount: int,
    reason: str,
    by: str,
    remaining: int,
) -> Refund:
    refund_row = await repository.add(
        tx.session,
        refund_id=refund_id,
        invoice_id=invoice.id,
        payment_id=payment_id,
        amount_rupiah=amount,
        reason=reason,
        refunded_by=by,
        refunded_at=tx.now,
    )
    await tx.outbox.add(
        tx.session,
        RefundIssued(
            refund_id=refund_row.id,
            invoice_id=invoice.id,
            payer_id=invoice.payer_id,
            source=invoice.source,
            source_reference=invoice.source_reference,
            amount=amount,
            reason=reason,
            refunded_at=tx.now,
            remaining_refundable=remaining,
        ),
        subject=str(invoice.id),
    )
    return refund_row
