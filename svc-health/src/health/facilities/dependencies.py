"""The facility an endpoint's path names, loaded or answered with 404."""

import uuid
from typing import Annotated

from fastapi import Depends

from health.facilities import repository
from health.facilities.models import Facility
from health.messages import _
from kota_shared.db import DbSession
from kota_shared.problems import NotFound


async def _any_facility(facility_id: uuid.UUID, session: DbSession) -> Facility:
    facility = await repository.get_facility(session, facility_id=facility_id)
    if facility is None:
        raise NotFound(_("There is no health facility with this id."))
    return facility


AnyFacility = Annotated[Facility, Depends(_any_facility)]
"""The facility of the path's ``facility_id``: the directory is public, so any caller's."""
