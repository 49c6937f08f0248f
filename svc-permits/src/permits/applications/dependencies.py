"""The application named in the path, loaded for the caller or answered with 404.

Each loader takes the caller's role dependency first, so a caller without the role gets
403 before anything is looked up.
"""

import uuid
from typing import Annotated

from fastapi import Depends

from kota_shared.transaction import CurrentTransaction
from permits.applications import lookup
from permits.applications.models import Application
from permits.dependencies import Citizen, CitizenOrOfficer, Officer


async def _own_for_update(
    citizen: Citizen, application_id: uuid.UUID, tx: CurrentTransaction
) -> Application:
    return await lookup.own(tx, application_id=application_id, applicant=citizen, for_update=True)


OwnApplicationForUpdate = Annotated[Application, Depends(_own_for_update)]
"""The caller's own application, locked for the change the endpoint makes."""


async def _visible(
    caller: CitizenOrOfficer, application_id: uuid.UUID, tx: CurrentTransaction
) -> Application:
    return await lookup.visible(tx, application_id=application_id, caller=caller)


VisibleApplication = Annotated[Application, Depends(_visible)]
"""The caller's own application, or any for a permits officer."""


async def _any_for_update(
    officer: Officer, application_id: uuid.UUID, tx: CurrentTransaction
) -> Application:
    return await lookup.existing(tx, application_id=application_id, for_update=True)


AnyApplicationForUpdate = Annotated[Application, Depends(_any_for_update)]
"""Any application, for a permits officer, locked for the step the endpoint takes."""
