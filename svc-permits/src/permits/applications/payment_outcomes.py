"""What payments reports about a permit's fee: the invoice opened → remembered; paid → the
permit is issued; expired → the application expires (run inside the consumer's transaction,
once per event).

A report is acted on only when it matches what permits itself knows: the invoice payments
told it of for that application, and the fee it assessed. The broker already lets only
payments write its topic; this is the second lock, for a report that is wrong however it
got there (a forged ``paid`` with ``amount: 1``, a payment of some other invoice). Such a
report is logged, counted (``permits_payment_reports_refused_total``) and not applied: the
application keeps waiting for its payment.
"""

import logging
import uuid
from typing import Any

from prometheus_client import Counter

from kota_contracts.payments import InvoiceCreated, InvoiceExpired, InvoicePaid
from kota_contracts.permits import (
    FEE_INVOICE_SOURCE,
    ApplicationExpired,
    application_of_fee_invoice,
)
from kota_shared.events.envelope import ReceivedEvent
from permits.applications import repository, transitions
from permits.applications.models import Application
from permits.applications.transitions import Step
from permits.applications.workflow import Action, Status
from permits.issuance import service as issuance
from permits.transaction import PermitsTransaction

_log = logging.getLogger(__name__)

REPORTS_REFUSED = Counter(
    "permits_payment_reports_refused_total",
    "Payment reports not acted on because they contradict what permits knows of the "
    "application: another invoice than the one opened for it, or another amount than its fee.",
    ["event_type", "reason"],
)


async def _awaiting(tx: PermitsTransaction, *, source: str, reference: str) -> Application | None:
    """The application a fee invoice was for, locked, if it still waits for payment.

    Invoices of other sources are not ours to act on. Anything else (already issued,
    cancelled meanwhile) is logged and left alone: a redelivered or late event must not move
    an application twice.
    """
    if source != FEE_INVOICE_SOURCE:
        return None
    application_id = application_of_fee_invoice(reference)
    if application_id is None:
        _log.warning("invoice reference %s names no application", reference)
        return None
    application = await repository.get_any(
        tx.session, application_id=application_id, for_update=True
    )
    if application is None or application.status is not Status.AWAITING_PAYMENT:
        _log.warning("invoice for %s reported, but it is not awaiting payment", reference)
        return None
    return application


def _refuse(event: ReceivedEvent[Any], application: Application, reason: str) -> None:
    REPORTS_REFUSED.labels(event.type, reason).inc()
    _log.warning(
        "refused %s (event %s) for application %s: %s",
        event.type,
        event.id,
        application.id,
        reason.replace("_", " "),
    )


def _is_its_invoice(
    event: ReceivedEvent[Any], application: Application, invoice_id: uuid.UUID
) -> bool:
    if application.fee_invoice_id is None:
        _refuse(event, application, "no_invoice_opened")
        return False
    if invoice_id != application.fee_invoice_id:
        _refuse(event, application, "another_invoice")
        return False
    return True


async def fee_invoiced(tx: PermitsTransaction, event: ReceivedEvent[InvoiceCreated]) -> None:
    """Payments opened the fee's invoice: it is the one whose payment will count."""
    created = event.data
    application = await _awaiting(tx, source=created.source, reference=created.source_reference)
    if application is None:
        return
    if created.amount != application.fee_amount:
        _refuse(event, application, "amount_is_not_the_fee")
        return
    if application.fee_invoice_id not in (None, created.invoice_id):
        # Payments opens one invoice per application; a second one is not trusted either.
        _refuse(event, application, "another_invoice")
        return
    application.fee_invoice_id = created.invoice_id


async def fee_paid(tx: PermitsTransaction, event: ReceivedEvent[InvoicePaid]) -> None:
    """The fee is paid: the permit is issued."""
    paid = event.data
    application = await _awaiting(tx, source=paid.source, reference=paid.source_reference)
    if application is None or not _is_its_invoice(event, application, paid.invoice_id):
        return
    if paid.amount != application.fee_amount:
        _refuse(event, application, "amount_is_not_the_fee")
        return
    definition = await transitions.take(
        tx,
        application=application,
        step=Step.by_system(Action.RECORD_PAYMENT, tx.now, "Fee paid."),
    )
    await issuance.issue(tx, application=application, definition=definition)


async def fee_expired(tx: PermitsTransaction, event: ReceivedEvent[InvoiceExpired]) -> None:
    """The invoice expired unpaid: so does the application."""
    expired = event.data
    application = await _awaiting(tx, source=expired.source, reference=expired.source_reference)
    if application is None or not _is_its_invoice(event, application, expired.invoice_id):
        return
    await transitions.take(
        tx,
        application=application,
        step=Step.by_system(Action.EXPIRE, tx.now, "The fee was not paid in time."),
    )
    await tx.outbox.add(
        tx.session,
        ApplicationExpired(
            application_id=application.id,
            applicant_id=application.applicant_id,
            permit_type=application.permit_type,
            expired_at=tx.now,
        ),
        subject=str(application.id),
    )
