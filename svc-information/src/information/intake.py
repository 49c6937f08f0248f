"""One consumed event, taken in whole in its transaction: whose subject it names, the
notices it gives now, the reminders it schedules and the reminders it settles."""

from collections.abc import Awaitable, Callable
from typing import Any

from information.notices import repository as notices_repository
from information.notices import service as notices
from information.notices.drafts import (
    booking,
    draft_notices,
    draft_reminders,
    invoice,
    ownership,
)
from information.reminders import service as reminders
from information.reminders.service import ReminderTimes
from kota_contracts.health import AppointmentCancelled
from kota_contracts.payments import InvoiceCancelled, InvoiceExpired, InvoicePaid
from kota_shared.events.envelope import EventData, ReceivedEvent
from kota_shared.transaction import Transaction

Handler = Callable[[Transaction, ReceivedEvent[Any]], Awaitable[None]]

_SETTLING: dict[type[EventData], Callable[[Any], str]] = {
    InvoicePaid: lambda e: invoice(e.invoice_id),
    InvoiceExpired: lambda e: invoice(e.invoice_id),
    InvoiceCancelled: lambda e: invoice(e.invoice_id),
    AppointmentCancelled: lambda e: booking(e.booking_id),
}
"""Events after which a subject's reminders would be wrong: paid, expired, cancelled."""
SETTLING_EVENTS = tuple(_SETTLING)


def intake(*, times: ReminderTimes) -> Handler:
    async def take(tx: Transaction, event: ReceivedEvent[Any]) -> None:
        data = event.data
        owner = ownership(data)
        if owner is not None:
            await notices_repository.record_owner(
                tx.session, subject_ref=owner.subject_ref, account_id=owner.account_id
            )
        await notices.record(
            tx, draft_notices(data), source_id=str(event.id), timezone=times.timezone
        )
        await reminders.schedule(tx, draft_reminders(data), times=times)
        settled = _SETTLING.get(type(data))
        if settled is not None:
            await reminders.settle(tx, subject_ref=settled(data))

    return take
