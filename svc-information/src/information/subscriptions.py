"""Which event feeds what: identity's keep the directory; the services' events become
notices and reminders (`information.intake`). One list, read by the consumer."""

from information.directory import handlers as directory
from information.intake import SETTLING_EVENTS, Handler
from information.notices.drafts import NOTIFYING_EVENTS, REMINDING_EVENTS
from kota_contracts.identity import (
    CitizenRegistered,
    CitizenRegisteredByOfficer,
    CitizenRegisteredByOfficerV2,
    CitizenRegisteredV2,
    StaffAccountCreated,
)
from kota_shared.events.consumer import Subscription, on
from kota_shared.transaction import Transaction


def subscriptions(take: Handler) -> list[Subscription[Transaction]]:
    """``take`` (the intake) receives every event that gives, schedules or settles a notice."""
    taken = dict.fromkeys((*NOTIFYING_EVENTS, *REMINDING_EVENTS, *SETTLING_EVENTS))
    return [
        on(CitizenRegistered, directory.citizen_registered),
        on(CitizenRegisteredV2, directory.citizen_registered),
        on(CitizenRegisteredByOfficer, directory.citizen_registered),
        on(CitizenRegisteredByOfficerV2, directory.citizen_registered),
        on(StaffAccountCreated, directory.staff_created),
        *(on(event, take) for event in taken),
    ]
