"""Which event feeds which read model: the one list the live consumer and a rebuild share.

Every event is counted by type; the events a read model reads go to its handler as well, in
the same transaction, so one inbox row covers both.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from kota_contracts.education import (
    RegistrationSubmittedV2,
    RegistrationVerified,
    RegistrationWithdrawn,
)
from kota_contracts.health import AppointmentBookedV2, AppointmentCancelled
from kota_contracts.identity import CitizenRegisteredByOfficerV2, CitizenRegisteredV2
from kota_contracts.monitoring import (
    ConsumerLagging,
    DeadLetterWritten,
    DeadlineAtRisk,
    DeadlineBreached,
    ServiceNotReady,
)
from kota_contracts.payments import (
    InvoiceCancelled,
    InvoiceCreated,
    InvoiceExpired,
    InvoicePaid,
    RefundIssued,
)
from kota_contracts.permits import StepTaken
from kota_shared.events.consumer import Subscription, on
from kota_shared.events.envelope import EventData, ReceivedEvent
from monitoring.alerts import handlers as alerts
from monitoring.counters.handlers import count_event
from monitoring.education import handlers as education
from monitoring.health import handlers as health
from monitoring.payments import handlers as payments
from monitoring.permits import handlers as permits
from monitoring.reach import handlers as reach
from monitoring.system import handlers as system
from monitoring.transaction import MonitoringTransaction

Handler = Callable[[MonitoringTransaction, ReceivedEvent[Any]], Awaitable[None]]

_READ_MODELS: list[tuple[type[EventData], Handler]] = [
    (StepTaken, permits.step_taken),
    (InvoiceCreated, payments.invoice_created),
    (InvoicePaid, payments.invoice_paid),
    (InvoiceExpired, payments.invoice_expired),
    (InvoiceCancelled, payments.invoice_cancelled),
    (RefundIssued, payments.refund_issued),
    (AppointmentBookedV2, health.appointment_booked),
    (AppointmentCancelled, health.appointment_cancelled),
    (RegistrationSubmittedV2, education.registration_submitted),
    (RegistrationWithdrawn, education.registration_withdrawn),
    (RegistrationVerified, education.registration_verified),
    (CitizenRegisteredV2, reach.citizen_registered),
    (CitizenRegisteredByOfficerV2, reach.citizen_registered),
    (DeadlineAtRisk, alerts.at_risk_raised),
    (DeadlineBreached, alerts.breached_raised),
    (ServiceNotReady, system.system_alert_raised),
    (ConsumerLagging, system.system_alert_raised),
    (DeadLetterWritten, system.system_alert_raised),
]


def _counted(handler: Handler) -> Handler:
    async def count_and_apply(tx: MonitoringTransaction, event: ReceivedEvent[Any]) -> None:
        await count_event(tx, event)
        await handler(tx, event)

    return count_and_apply


def subscriptions() -> list[Subscription[MonitoringTransaction]]:
    """Each read model's events, counted too; everything else goes to `count_event`."""
    return [on(event, _counted(handler)) for event, handler in _READ_MODELS]


def consumer_name(generation: int) -> str:
    """The consumer (group, inbox and dead letters) of one generation of the read models:
    a rebuild builds the next generation beside the live one."""
    return f"monitoring.read-models.g{generation}"
