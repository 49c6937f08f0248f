"""Who may call the health API: the roles its endpoints admit, as typed dependencies."""

from typing import Annotated

from fastapi import Depends

from kota_shared.auth import Principal, Require

CITIZEN = "citizen"
CLINIC_OFFICER = "clinic_officer"

Citizen = Annotated[Principal, Depends(Require(roles={CITIZEN}))]
"""A signed-in citizen, or an officer at a kiosk holding a token for one (``acting_officer``)."""
ClinicOfficer = Annotated[Principal, Depends(Require(roles={CLINIC_OFFICER}))]
"""Staff running a facility's registration desk and queue."""
CitizenOrClinicOfficer = Annotated[Principal, Depends(Require(roles={CITIZEN, CLINIC_OFFICER}))]


def is_clinic_officer(principal: Principal) -> bool:
    return principal.has_role(CLINIC_OFFICER)
