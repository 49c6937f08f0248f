"""Settlements the provider reports: applied once per provider transaction to the invoice
they pay, or refused and kept for finance officers.

The payment row is inserted first, keyed by the provider's transaction id: a repeated
notification (also several at once) waits on that key and finds the payment recorded.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from kota_contracts.payments import InvoicePaid
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_shared.events.outbox import Outbox
from payments.channels.virtual_accounts import is_valid_va
from payments.config import PaymentsSettings
from payments.invoices import repository as invoices
from payments.invoices.models import Invoice, InvoiceStatus
from payments.ledger import postings
from payments.ledger import repository as ledger
from payments.problems import AmountMismatch, UnknownPaymentReference
from payments.refunds.service import refund_late_payment
from payments.settlement import repository
from payments.settlement.models import AnomalyKind, Channel, Outcome, PaymentAnomaly
from payments.settlement.schemas import SettlementNotice


@dataclass(frozen=True)
class Applied:
    status: Literal["accepted", "duplicate", "refunded"]
    invoice_id: uuid.UUID


async def receive(
    session: AsyncSession,
    *,
    outbox: Outbox,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: PaymentsSettings,
    notice: SettlementNotice,
    now: datetime,
) -> Applied:
    """Apply ``notice`` (its signature already verified), with the provider's fee for its
    channel; a refused one (a mistyped account, an unknown reference, a wrong amount) is
    flagged through ``sessionmaker`` and raised."""
    fee = settings.va_fee_rupiah if notice.channel == "va" else 0
    try:
        if notice.channel == "va" and not is_valid_va(notice.reference, settings.va_bank_prefix):
            raise UnknownPaymentReference(reference=notice.reference)  # a mistyped account
        return await apply(session, outbox=outbox, notice=notice, fee_rupiah=fee, now=now)
    except (AmountMismatch, UnknownPaymentReference) as refused:
        await _flag(sessionmaker, notice, refused)
        raise


async def apply(
    session: AsyncSession,
    *,
    outbox: Outbox,
    notice: SettlementNotice,
    fee_rupiah: int,
    now: datetime,
) -> Applied:
    """Record ``notice`` once; ``fee_rupiah`` is what the provider keeps of it."""
    existing = await repository.recorded(
        session, provider_transaction_id=notice.provider_transaction_id
    )
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
    payment_id = await repository.insert_once(
        session,
        provider_transaction_id=notice.provider_transaction_id,
        invoice_id=invoice.id,
        channel=Channel(notice.channel),
        reference=notice.reference,
        amount_rupiah=notice.amount,
        outcome=outcome,
        paid_at=notice.paid_at,
        received_at=now,
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


async def _flag(
    sessionmaker: async_sessionmaker[AsyncSession],
    notice: SettlementNotice,
    refused: AmountMismatch | UnknownPaymentReference,
) -> None:
    """Keep a refused report for finance officers, outside the request's rolled-back work.

    Its own transaction, committed here: the request's is rolled back by the refusal, and
    the report must outlive it (the invoice's lock does not block it, see the invoices
    repository).
    """
    mismatch = isinstance(refused, AmountMismatch)
    invoice_id = refused.extensions.get("invoice_id")
    async with sessionmaker() as session, session.begin():
        session.add(
            PaymentAnomaly(
                kind=AnomalyKind.AMOUNT_MISMATCH if mismatch else AnomalyKind.UNKNOWN_REFERENCE,
                provider_transaction_id=notice.provider_transaction_id,
                channel=notice.channel,
                reference=notice.reference,
                amount_rupiah=notice.amount,
                expected_rupiah=refused.extensions.get("expected"),
                invoice_id=uuid.UUID(invoice_id) if invoice_id else None,
            )
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
