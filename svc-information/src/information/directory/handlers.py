"""The directory kept from identity's events (run inside the consumer's transaction)."""

from information.directory import repository
from kota_contracts.identity import (
    CitizenRegistered,
    CitizenRegisteredByOfficer,
    CitizenRegisteredByOfficerV2,
    CitizenRegisteredV2,
    StaffAccountCreated,
)
from kota_shared.events.envelope import ReceivedEvent
from kota_shared.transaction import Transaction

CitizenRegistration = (
    CitizenRegistered
    | CitizenRegisteredV2
    | CitizenRegisteredByOfficer
    | CitizenRegisteredByOfficerV2
)


async def citizen_registered(tx: Transaction, event: ReceivedEvent[CitizenRegistration]) -> None:
    """A citizen's account: v1 and v2 of one registration both arrive; v1 has no district."""
    registration = event.data
    await repository.record_citizen(
        tx.session,
        account_id=registration.account_id,
        kecamatan_code=getattr(registration, "kecamatan_code", None),
        registered_at_kiosk=isinstance(
            registration, CitizenRegisteredByOfficer | CitizenRegisteredByOfficerV2
        ),
        registered_at=registration.registered_at,
    )


async def staff_created(tx: Transaction, event: ReceivedEvent[StaffAccountCreated]) -> None:
    """An officer or administrator: alerts are addressed to them by role."""
    staff = event.data
    await repository.record_staff(
        tx.session, account_id=staff.account_id, roles=staff.roles, created_at=staff.created_at
    )
