"""What endpoints of this service receive by injection: callers, the calendar, the outbox."""

from typing import Annotated

from fastapi import Depends, Request
from kota_contracts.access import Role

from kota_shared.auth import Principal, Require
from kota_shared.idempotency import IdempotentRequest, RequireIdempotencyKey
from permits.calendar import WorkingCalendar
from permits.models import IDEMPOTENCY_KEYS

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


def _calendar(request: Request) -> WorkingCalendar:
    calendar: WorkingCalendar = request.app.state.calendar
    return calendar


Calendar = Annotated[WorkingCalendar, Depends(_calendar)]


def is_officer(principal: Principal) -> bool:
    return principal.has_role(Role.PERMITS_OFFICER)
