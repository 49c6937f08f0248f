"""Who may read the monitoring API."""

from typing import Annotated

from fastapi import Depends

from kota_contracts.access import Role, Scope
from kota_shared.auth import Principal, Require

Viewer = Annotated[
    Principal,
    Depends(
        Require(roles={Role.CITY_ADMIN, Role.MONITORING_VIEWER}, scopes={Scope.MONITORING_READ})
    ),
]
"""City administrators, monitoring viewers, and agency clients granted ``monitoring:read``."""
