"""What payments reports about a permit's fee: paid → the permit is issued; expired → the
application expires (run inside the consumer's transaction, once per event)."""

import logging

from kota_contracts.payments import InvoiceExpired, InvoicePaid
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


async def fee_paid(tx: PermitsTransaction, event: ReceivedEvent[InvoicePaid]) -> None:
    """The fee is paid: the permit is issued."""
    paid = event.data
    application = await _awaiting(tx, source=paid.source, reference=paid.source_reference)
    if application is None:
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
    if application is None:
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
