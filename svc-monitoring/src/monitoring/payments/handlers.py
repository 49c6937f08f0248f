"""Applies payments' events to the payments read model (inside the consumer's transaction).

A payment is an anomaly when it does not fit its invoice: a different amount, an invoice
monitoring never saw opened, or one already closed. Each is counted, never guessed around.
One invoice's events share a partition, so they arrive in the order payments wrote them.
"""

from datetime import datetime
from typing import Any

from kota_contracts.payments import (
    InvoiceCancelled,
    InvoiceCreated,
    InvoiceExpired,
    InvoicePaid,
    RefundIssued,
)
from kota_contracts.permits import application_of_fee_invoice
from kota_shared.events.envelope import ReceivedEvent
from monitoring import aggregates
from monitoring import tallies_repository as tallies
from monitoring.payments import repository
from monitoring.payments.models import payment_daily, revenue_daily
from monitoring.transaction import MonitoringTransaction


def _key(tx: MonitoringTransaction, moment: datetime, source: str) -> dict[str, Any]:
    return {"day": aggregates.city_day(moment, tx.timezone), "source": source}


async def invoice_created(tx: MonitoringTransaction, event: ReceivedEvent[InvoiceCreated]) -> None:
    invoice = event.data
    await repository.open_invoice(
        tx.session,
        invoice_id=invoice.invoice_id,
        source=invoice.source,
        application_id=application_of_fee_invoice(invoice.source_reference),
        amount=invoice.amount,
        due_at=invoice.due_at,
        status="open",
    )
    key = _key(tx, invoice.created_at, invoice.source)
    await tallies.add(tx.session, payment_daily, key, opened=1, opened_amount=invoice.amount)


async def invoice_paid(tx: MonitoringTransaction, event: ReceivedEvent[InvoicePaid]) -> None:
    payment = event.data
    invoice = await repository.invoice_for_update(tx.session, payment.invoice_id)
    fits = (
        invoice is not None and invoice["status"] == "open" and invoice["amount"] == payment.amount
    )
    on_time = invoice is not None and payment.paid_at < invoice["due_at"]
    key = _key(tx, payment.paid_at, payment.source)
    await tallies.add(
        tx.session,
        payment_daily,
        key,
        paid=1,
        paid_within_due=int(on_time),
        anomalies=int(not fits),
    )
    await tallies.add(
        tx.session,
        revenue_daily,
        {**key, "channel": payment.channel},
        payments=1,
        amount=payment.amount,
    )
    if invoice is None:  # paid, yet never seen opened: still revenue, of its source
        await repository.open_invoice(
            tx.session,
            invoice_id=payment.invoice_id,
            source=payment.source,
            application_id=application_of_fee_invoice(payment.source_reference),
            amount=payment.amount,
            due_at=None,
            status="open",
        )
    await repository.update_invoice(
        tx.session,
        payment.invoice_id,
        status="paid",
        paid_day=key["day"],
        paid_amount=repository.add_paid_amount(payment.amount),
        channel=payment.channel,
    )


async def invoice_expired(tx: MonitoringTransaction, event: ReceivedEvent[InvoiceExpired]) -> None:
    expiry = event.data
    await tallies.add(
        tx.session, payment_daily, _key(tx, expiry.expired_at, expiry.source), expired=1
    )
    await repository.update_invoice(tx.session, expiry.invoice_id, status="expired")


async def invoice_cancelled(
    tx: MonitoringTransaction, event: ReceivedEvent[InvoiceCancelled]
) -> None:
    cancellation = event.data
    key = _key(tx, cancellation.cancelled_at, cancellation.source)
    await tallies.add(tx.session, payment_daily, key, cancelled=1)
    await repository.update_invoice(tx.session, cancellation.invoice_id, status="cancelled")


async def refund_issued(tx: MonitoringTransaction, event: ReceivedEvent[RefundIssued]) -> None:
    refund = event.data
    key = _key(tx, refund.refunded_at, refund.source)
    await tallies.add(tx.session, payment_daily, key, refunds=1, refunded_amount=refund.amount)
