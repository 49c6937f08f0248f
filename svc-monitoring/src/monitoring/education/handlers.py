"""Applies education's registration events to the education read model (submissions from
``.v2``, published beside ``.v1`` for the same registration, with the places and district)."""

from typing import Any

from kota_contracts.education import (
    RegistrationSubmittedV2,
    RegistrationVerified,
    RegistrationWithdrawn,
)
from kota_shared.events.envelope import ReceivedEvent
from monitoring.education import repository
from monitoring.reach import handlers as reach
from monitoring.transaction import MonitoringTransaction


def _key(
    registration: RegistrationSubmittedV2 | RegistrationWithdrawn | RegistrationVerified,
) -> dict[str, Any]:
    return {
        "admission_year": registration.admission_year,
        "school_npsn": registration.school_npsn,
        "level": registration.level.value,
        "pathway": registration.pathway.value,
    }


async def registration_submitted(
    tx: MonitoringTransaction, event: ReceivedEvent[RegistrationSubmittedV2]
) -> None:
    registration = event.data
    assisted = registration.assisted_by is not None
    key = _key(registration)
    await repository.count(tx.session, key, submitted=1, assisted=int(assisted))
    places = {"capacity": registration.school_capacity}
    if registration.pathway_quota is not None:
        places["pathway_quota"] = registration.pathway_quota
    await repository.offer(tx.session, key, **places)
    await reach.count_transaction(
        tx,
        service="education",
        kecamatan=registration.kecamatan_code,
        at=registration.submitted_at,
        assisted=assisted,
    )


async def registration_withdrawn(
    tx: MonitoringTransaction, event: ReceivedEvent[RegistrationWithdrawn]
) -> None:
    await repository.count(tx.session, _key(event.data), withdrawn=1)


async def registration_verified(
    tx: MonitoringTransaction, event: ReceivedEvent[RegistrationVerified]
) -> None:
    await repository.count(tx.session, _key(event.data), verified=1)
