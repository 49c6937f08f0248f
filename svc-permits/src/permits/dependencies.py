"""Who may call this service's endpoints, and the ``Idempotency-Key`` a retry carries."""

from typing import Annotated

from fastapi import Depends

from kota_contracts.access import Role
from kota_shared.auth import Principal, Require
from kota_shared.idempotency import IdempotentRequest, RequireIdempotencyKey
from permits.db import IDEMPOTENCY_KEYS

Citizen = Annotated[Principal, Depends(Require(roles={Role.CITIZEN}))]
"""A signed-in citizen, or an officer at a kiosk holding a token for one."""
Officer = Annotated[Principal, Depends(Require(roles={Role.PERMITS_OFFICER}))]
Admin = Annotated[Principal, Depends(Require(roles={Role.CITY_ADMIN}))]
CitizenOrOfficer = Annotated[
    Principal, Depends(Require(roles={Role.CITIZEN, Role.PERMITS_OFFICER}))
]
Idempotent = Annotated[
    IdempotentRequest, Depends(RequireIdempotencyKey(IDEMPOTENCY_KEYS, required=False))
]
"""The request's ``Idempotency-Key``, if sent: a retry with it returns the first response."""


def is_officer(principal: Principal) -> bool:
    return principal.has_role(Role.PERMITS_OFFICER)
