"""Counts citizens' transactions for the digital divide: called by the other read models'
handlers for the steps a citizen takes, and here for registrations with the gateway."""

from datetime import datetime

from kota_contracts.identity import CitizenRegisteredByOfficerV2, CitizenRegisteredV2
from kota_shared.events.envelope import ReceivedEvent
from monitoring import aggregates
from monitoring.reach import repository
from monitoring.transaction import MonitoringTransaction


async def count_transaction(
    tx: MonitoringTransaction,
    *,
    service: str,
    kecamatan: str | None,
    at: datetime,
    assisted: bool,
) -> None:
    await repository.count(
        tx.session,
        service=service,
        kecamatan=kecamatan or aggregates.UNKNOWN,
        day=aggregates.city_day(at, tx.timezone),
        assisted=assisted,
    )


# Registrations are counted from v2 only: the gateway publishes v1 beside it for the same
# registration, so counting both would count each citizen twice.
async def citizen_registered(
    tx: MonitoringTransaction,
    event: ReceivedEvent[CitizenRegisteredV2 | CitizenRegisteredByOfficerV2],
) -> None:
    """A citizen's account, registered at a kiosk when an officer made it."""
    registration = event.data
    await count_transaction(
        tx,
        service="identity",
        kecamatan=registration.kecamatan_code,
        at=registration.registered_at,
        assisted=isinstance(registration, CitizenRegisteredByOfficerV2),
    )
