"""Who may call the education API, and what endpoints receive by injection."""

from typing import Annotated

from fastapi import Depends, Request

from education.admission.period import AdmissionPeriod
from kota_shared.auth import Principal, Require

CITIZEN = "citizen"
SCHOOL_OFFICER = "school_officer"

Citizen = Annotated[Principal, Depends(Require(roles={CITIZEN}))]
"""A signed-in citizen (a parent), or an officer at a kiosk holding a token for one."""
SchoolOfficer = Annotated[Principal, Depends(Require(roles={SCHOOL_OFFICER}))]
CitizenOrSchoolOfficer = Annotated[Principal, Depends(Require(roles={CITIZEN, SCHOOL_OFFICER}))]


def is_school_officer(principal: Principal) -> bool:
    return principal.has_role(SCHOOL_OFFICER)


def _period(request: Request) -> AdmissionPeriod:
    period: AdmissionPeriod = request.app.state.admission_period
    return period


Period = Annotated[AdmissionPeriod, Depends(_period)]
"""The admission period the service runs (from its settings)."""
