"""Who may call the health API: the roles its endpoints admit, as typed dependencies."""

from typing import Annotated

from fastapi import Depends

from health.db import IDEMPOTENCY_KEYS
from kota_contracts.access import Role
from kota_shared.auth import Principal, Require
from kota_shared.idempotency import IdempotentRequest, RequireIdempotencyKey

Citizen = Annotated[Principal, Depends(Require(roles={Role.CITIZEN}))]
"""A signed-in citizen, or an officer at a kiosk holding a token for one (``acting_officer``)."""
ClinicOfficer = Annotated[Principal, Depends(Require(roles={Role.CLINIC_OFFICER}))]
"""Staff running a facility's registration desk and queue."""
CitizenOrClinicOfficer = Annotated[
    Principal, Depends(Require(roles={Role.CITIZEN, Role.CLINIC_OFFICER}))
]


def is_clinic_officer(principal: Principal) -> bool:
    return principal.has_role(Role.CLINIC_OFFICER)


Idempotent = Annotated[
    IdempotentRequest, Depends(RequireIdempotencyKey(IDEMPOTENCY_KEYS, required=False))
]
"""The request's ``Idempotency-Key``, if sent: a retry with it returns the first response.
Optional, because a blind retry is already a harmless 409 naming the caller's own record."""
