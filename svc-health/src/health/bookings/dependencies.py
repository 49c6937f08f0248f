"""The booking named in the path, loaded for the caller or answered with 404.

Each loader takes the caller's role dependency first, so a caller without the role gets 403
before anything is looked up; another citizen's booking is indistinguishable from none.
"""

import uuid
from typing import Annotated

from fastapi import Depends

from health.bookings import repository
from health.bookings.models import Booking
from health.dependencies import Citizen, CitizenOrClinicOfficer, is_clinic_officer
from health.messages import _
from health.transaction import HealthTransaction, HealthTx
from kota_shared.problems import NotFound


async def _found(
    tx: HealthTransaction,
    *,
    booking_id: uuid.UUID,
    viewer: str,
    sees_all: bool,
    for_update: bool = False,
) -> Booking:
    found = await repository.get_visible(
        tx.session, booking_id=booking_id, viewer=viewer, sees_all=sees_all, for_update=for_update
    )
    if found is None:
        raise NotFound(_("No booking with this id belongs to you."))
    return found


async def _own_for_update(citizen: Citizen, booking_id: uuid.UUID, tx: HealthTx) -> Booking:
    return await _found(
        tx, booking_id=booking_id, viewer=citizen.subject, sees_all=False, for_update=True
    )


OwnBookingForUpdate = Annotated[Booking, Depends(_own_for_update)]
"""The citizen's own booking, locked for the change the endpoint makes."""


async def _visible(caller: CitizenOrClinicOfficer, booking_id: uuid.UUID, tx: HealthTx) -> Booking:
    return await _found(
        tx, booking_id=booking_id, viewer=caller.subject, sees_all=is_clinic_officer(caller)
    )


VisibleBooking = Annotated[Booking, Depends(_visible)]
"""The citizen's own booking, or any for a clinic officer."""
