"""What payments reports about a permit's fee: paid → the permit is issued; expired → the
application expires (run inside the consumer's transaction, once per event)."""

import logging
from collections.abc import Awaitable, Callable

from kota_contracts.payments import InvoiceExpired, InvoicePaid
from kota_contracts.permits import (
    FEE_INVOICE_SOURCE,
    ApplicationExpired,
    application_of_fee_invoice,
)
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.clock import Clock
from kota_shared.events.consumer import Handler
from kota_shared.events.envelope import EventData, ReceivedEvent
from kota_shared.events.outbox import Outbox
from permits.applications import repository, transitions
from permits.applications.context import Workflow
from permits.applications.decisions import issue_permit
from permits.applications.models import Application
from permits.applications.transitions import Step
from permits.applications.workflow import Action, Status
from permits.calendar import WorkingCalendar

_log = logging.getLogger(__name__)

FlowFactory = Callable[[AsyncSession], Workflow]


async def _awaiting(flow: Workflow, reference: str) -> Application | None:
    """The application an invoice was for, locked, if it still waits for payment.

    Anything else (already issued, cancelled meanwhile) is logged and left alone: a
    redelivered or late event must not move an application twice.
    """
    application_id = application_of_fee_invoice(reference)
    if application_id is None:
        _log.warning("invoice reference %s names no application", reference)
        return None
    application = await repository.get_any(
        session=flow.session, application_id=application_id, for_update=True
    )
    if application is None or application.status is not Status.AWAITING_PAYMENT:
        _log.warning("invoice for %s reported, but it is not awaiting payment", reference)
        return None
    return application


def _handler(
    flow_for: FlowFactory,
    apply: Callable[[Workflow, Application], Awaitable[None]],
    *,
    reference_of: Callable[[ReceivedEvent], tuple[str, str]],
) -> Handler:
    async def handle(session: AsyncSession, event: ReceivedEvent) -> None:
        source, reference = reference_of(event)
        if source != FEE_INVOICE_SOURCE:
            return
        flow = flow_for(session)
        application = await _awaiting(flow, reference)
        if application is not None:
            await apply(flow, application)

    return handle


async def _issue(flow: Workflow, application: Application) -> None:
    definition = await transitions.take(
        flow, application, Step.by_system(Action.RECORD_PAYMENT, flow.now, "Fee paid.")
    )
    await issue_permit(flow, application, definition)


async def _expire(flow: Workflow, application: Application) -> None:
    await transitions.take(
        flow, application, Step.by_system(Action.EXPIRE, flow.now, "The fee was not paid in time.")
    )
    await flow.outbox.add(
        flow.session,
        ApplicationExpired(
            application_id=application.id,
            applicant_id=application.applicant_id,
            permit_type=application.permit_type,
            expired_at=flow.now,
        ),
        subject=str(application.id),
    )


def _paid_reference(event: ReceivedEvent) -> tuple[str, str]:
    assert isinstance(event.data, InvoicePaid)
    return event.data.source, event.data.source_reference


def _expired_reference(event: ReceivedEvent) -> tuple[str, str]:
    assert isinstance(event.data, InvoiceExpired)
    return event.data.source, event.data.source_reference


def payment_handlers(
    outbox: Outbox, *, calendar: WorkingCalendar, city_code: str, clock: Clock
) -> dict[type[EventData], Handler]:
    """Handlers for the consumer of ``payments.events``."""

    def flow_for(session: AsyncSession) -> Workflow:
        return Workflow(
            session=session, outbox=outbox, calendar=calendar, city_code=city_code, now=clock()
        )

    return {
        InvoicePaid: _handler(flow_for, _issue, reference_of=_paid_reference),
        InvoiceExpired: _handler(flow_for, _expire, reference_of=_expired_reference),
    }
