"""Apply a verified settlement: once per provider transaction, to the invoice it pays.

The payment row is inserted first, keyed by the provider's transaction id: a repeated
notification (also several at once) waits on that key and finds the payment recorded.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.contracts.payments import InvoicePaid
from kota_shared.events.outbox import Outbox
from payments.invoices import repository as invoices
from payments.invoices.models import Invoice, InvoiceStatus
from payments.ledger import postings
from payments.ledger import repository as ledger
from payments.problems import AmountMismatch, UnknownPaymentReference
from payments.refunds.service import refund_late_payment
from payments.settlement.models import Channel, Outcome, Payment
from payments.settlement.schemas import SettlementNotice


@dataclass(frozen=True)
class Applied:
    status: Literal["accepted", "duplicate", "refunded"]
    invoice_id: uuid.UUID


async def apply(
    session: AsyncSession,
    outbox: Outbox,
    notice: SettlementNotice,
    *,
    fee_rupiah: int,
    now: datetime,
) -> Applied:
    """Record ``notice`` once; ``fee_rupiah`` is what the provider keeps of it."""
    existing = await _recorded(session, notice.provider_transaction_id)
    if existing is not None:
        return Applied("duplicate", existing.invoice_id)
    invoice = await invoices.for_settlement(
        session, channel=notice.channel, reference=notice.reference
    )
    if invoice is None:
        raise UnknownPaymentReference(reference=notice.reference)
    if notice.amount != invoice.amount_rupiah:
        raise AmountMismatch(
            f"Paid {notice.amount}, the invoice is for {invoice.amount_rupiah}.",
            invoice_id=str(invoice.id),
            expected=invoice.amount_rupiah,
        )
    outcome = Outcome.APPLIED if invoice.status is InvoiceStatus.OPEN else Outcome.REFUNDED
    payment_id = await session.scalar(
        insert(Payment)
        .values(
            id=uuid.uuid4(),
            provider_transaction_id=notice.provider_transaction_id,
            invoice_id=invoice.id,
            channel=Channel(notice.channel),
            reference=notice.reference,
            amount_rupiah=notice.amount,
            outcome=outcome,
            paid_at=notice.paid_at,
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=[Payment.provider_transaction_id])
        .returning(Payment.id)
    )
    if payment_id is None:  # the same notification, recorded a moment ago by another request
        return Applied("duplicate", invoice.id)
    fee = postings.provider_fee(invoice.id, fee_rupiah, notice.provider_transaction_id)
    if fee is not None:
        await ledger.post(session=session, journal=fee, at=now)
    if outcome is Outcome.APPLIED:
        await _pay(session, outbox, invoice, notice, now=now)
        return Applied("accepted", invoice.id)
    await ledger.post(
        session=session,
        journal=postings.payment_on_closed_invoice(
            invoice.id, notice.amount, notice.provider_transaction_id
        ),
        at=now,
    )
    await refund_late_payment(session, outbox, invoice, payment_id, notice.amount, now=now)
    return Applied("refunded", invoice.id)


async def _recorded(session: AsyncSession, provider_transaction_id: str) -> Payment | None:
    return await session.scalar(
        select(Payment).where(Payment.provider_transaction_id == provider_transaction_id)
    )


async def _pay(
    session: AsyncSession,
    outbox: Outbox,
    invoice: Invoice,
    notice: SettlementNotice,
    *,
    now: datetime,
) -> None:
    invoice.status = InvoiceStatus.PAID
    invoice.paid_rupiah = notice.amount
    invoice.paid_at = notice.paid_at
    await ledger.post(
        session=session,
        journal=postings.payment_received(
            invoice.id, invoice.source, notice.amount, notice.provider_transaction_id
        ),
        at=now,
    )
    await outbox.add(
        session,
        InvoicePaid(
            invoice_id=invoice.id,
            number=invoice.number,
            payer_id=invoice.payer_id,
            source=invoice.source,
            source_reference=invoice.source_reference,
            amount=notice.amount,
            channel=notice.channel,
            provider_transaction_id=notice.provider_transaction_id,
            paid_at=notice.paid_at,
        ),
        subject=str(invoice.id),
    )
