"""The registration named in the path, loaded for the caller or answered with 404.

Each loader takes the caller's role dependency first, so a caller without the role gets 403
before anything is looked up; another parent's registration is indistinguishable from none.
Both lock the row, as every registration endpoint always has: a read waits for a withdrawal
under way and answers what it left.
"""

import uuid
from typing import Annotated

from fastapi import Depends

from education.dependencies import (
    Citizen,
    CitizenOrSchoolOfficer,
    SchoolOfficer,
    is_school_officer,
)
from education.messages import _
from education.registrations import repository
from education.registrations.models import Registration
from education.transaction import EducationTransaction, EducationTx
from kota_shared.problems import NotFound


async def _locked(
    tx: EducationTransaction, *, registration_id: uuid.UUID, parent_id: str | None
) -> Registration:
    found = await repository.get(
        tx.session, registration_id=registration_id, parent_id=parent_id, for_update=True
    )
    if found is None:
        raise NotFound(_("You have no registration with this id."))
    return found


async def _own_for_update(
    parent: Citizen, registration_id: uuid.UUID, tx: EducationTx
) -> Registration:
    return await _locked(tx, registration_id=registration_id, parent_id=parent.subject)


OwnRegistrationForUpdate = Annotated[Registration, Depends(_own_for_update)]
"""The parent's own registration, locked for the change the endpoint makes."""


async def _visible_for_update(
    caller: CitizenOrSchoolOfficer, registration_id: uuid.UUID, tx: EducationTx
) -> Registration:
    parent_id = None if is_school_officer(caller) else caller.subject
    return await _locked(tx, registration_id=registration_id, parent_id=parent_id)


VisibleRegistrationForUpdate = Annotated[Registration, Depends(_visible_for_update)]
"""The parent's own registration, or any for a school officer; locked as well."""


async def _any_for_update(
    _officer: SchoolOfficer, registration_id: uuid.UUID, tx: EducationTx
) -> Registration:
    return await _locked(tx, registration_id=registration_id, parent_id=None)


AnyRegistrationForUpdate = Annotated[Registration, Depends(_any_for_update)]
"""Any registration, for a school officer only; locked."""
