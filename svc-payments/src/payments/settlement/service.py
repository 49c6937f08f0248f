"""Settlements the provider reports: applied once per provider transaction to the invoice
they pay, or refused and kept for finance officers.

The payment row is inserted first, keyed by the provider's transaction id: a repeated
notification (also several at once) waits on that key and finds the payment recorded.
"""

import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_contracts.payments import InvoicePaid
from kota_shared.i18n import Rupiah
from kota_shared.transaction import Transaction
from payments.channels.virtual_accounts import is_valid_va
from payments.config import PaymentsSettings
from payments.invoices import repository as invoices
from payments.invoices.models import Invoice, InvoiceStatus
from payments.ledger import postings
from payments.ledger import repository as ledger
from payments.messages import _
from payments.problems import AmountMismatch, UnknownPaymentReference
from payments.refunds.service import refund_late_payment
from payments.settlement import repository
from payments.settlement.models import AnomalyKind, Channel, Outcome
from payments.settlement.schemas import SettlementNotice


@dataclass(frozen=True)
class Applied:
    status: Literal["accepted", "duplicate", "refunded"]
    invoice_id: uuid.UUID


async def receive(
    tx: Transaction,
    *,
    notice: SettlementNotice,
    settings: PaymentsSettings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> Applied:
    """Apply ``notice`` (its signature already verified), with the provider's fee for its
    channel; a refused one (a mistyped account, an unknown reference, a wrong amount) is
    flagged through ``sessionmaker`` and raised."""
    fee = settings.va_fee_rupiah if notice.channel == "va" else 0
    try:
        if notice.channel == "va" and not is_valid_va(notice.reference, settings.va_bank_prefix):
            raise UnknownPaymentReference(reference=notice.reference)  # a mistyped account
        return await _apply(tx, notice=notice, fee_rupiah=fee)
    except (AmountMismatch, UnknownPaymentReference) as refused:
        await _flag(sessionmaker, notice=notice, refused=refused)
        raise


async def _apply(tx: Transaction, *, notice: SettlementNotice, fee_rupiah: int) -> Applied:
    """Record ``notice`` once; ``fee_rupiah`` is what the provider keeps of it."""
    session = tx.session
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
            _(
                "{paid} was paid; the invoice is for {expected}.",
                paid=Rupiah(notice.amount),
                expected=Rupiah(invoice.amount_rupiah),
            ),
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
        received_at=tx.now,
    )
    if payment_id is None:  # the same notification, recorded a moment ago by another request
        return Applied("duplicate", invoice.id)
    fee = postings.provider_fee(invoice.id, fee_rupiah, notice.provider_transaction_id)
    if fee is not None:
        await ledger.post(session, journal=fee, at=tx.now)
    if outcome is Outcome.APPLIED:
        await _pay(tx, invoice=invoice, notice=notice)
        return Applied("accepted", invoice.id)
    await ledger.post(
        session,
        journal=postings.payment_on_closed_invoice(
            invoice.id, notice.amount, notice.provider_transaction_id
        ),
        at=tx.now,
    )
    await refund_late_payment(tx, invoice=invoice, payment_id=payment_id, amount=notice.amount)
    return Applied("refunded", invoice.id)


async def _flag(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
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
        await repository.flag(
            session,
            kind=AnomalyKind.AMOUNT_MISMATCH if mismatch else AnomalyKind.UNKNOWN_REFERENCE,
            provider_transaction_id=notice.provider_transaction_id,
            channel=notice.channel,
            reference=notice.reference,
            amount_rupiah=notice.amount,
            expected_rupiah=refused.extensions.get("expected"),
            invoice_id=uuid.UUID(invoice_id) if invoice_id else None,
        )


async def _pay(tx: Transaction, *, invoice: Invoice, notice: SettlementNotice) -> None:
    invoice.status = InvoiceStatus.PAID
    invoice.paid_rupiah = notice.amount
    invoice.paid_at = notice.paid_at
    await ledger.post(
        tx.session,
        journal=postings.payment_received(
            invoice.id, invoice.source, notice.amount, notice.provider_transaction_id
        ),
        at=tx.now,
    )
    await tx.outbox.add(
        tx.session,
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
