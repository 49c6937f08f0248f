"""Who may call the education API, and what endpoints receive by injection."""

from typing import Annotated

from fastapi import Depends, Request

from education.admission.period import AdmissionPeriod
from education.db import IDEMPOTENCY_KEYS
from kota_contracts.access import Role
from kota_shared.auth import Principal, Require
from kota_shared.idempotency import IdempotentRequest, RequireIdempotencyKey

Citizen = Annotated[Principal, Depends(Require(roles={Role.CITIZEN}))]
"""A signed-in citizen (a parent), or an officer at a kiosk holding a token for one."""
SchoolOfficer = Annotated[Principal, Depends(Require(roles={Role.SCHOOL_OFFICER}))]
CitizenOrSchoolOfficer = Annotated[
    Principal, Depends(Require(roles={Role.CITIZEN, Role.SCHOOL_OFFICER}))
]


def is_school_officer(principal: Principal) -> bool:
    return principal.has_role(Role.SCHOOL_OFFICER)


def _period(request: Request) -> AdmissionPeriod:
    period: AdmissionPeriod = request.app.state.admission_period
    return period


Period = Annotated[AdmissionPeriod, Depends(_period)]
"""The admission period the service runs (from its settings)."""

Idempotent = Annotated[
    IdempotentRequest, Depends(RequireIdempotencyKey(IDEMPOTENCY_KEYS, required=False))
]
"""The request's ``Idempotency-Key``, if sent: a retry with it returns the first response.
Optional, because a blind retry is already a harmless 409 naming the caller's own record."""
