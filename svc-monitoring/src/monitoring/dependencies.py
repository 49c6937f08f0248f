"""Who may read the monitoring API."""

from typing import Annotated

from fastapi import Depends, Query

from kota_contracts.access import Role, Scope
from kota_shared.auth import Principal, Require

READERS = Require(roles={Role.CITY_ADMIN, Role.MONITORING_VIEWER}, scopes={Scope.MONITORING_READ})
"""Who may read the figures, through the API or on the dashboard: one rule for both."""

Viewer = Annotated[Principal, Depends(READERS)]
"""City administrators, monitoring viewers, and agency clients granted ``monitoring:read``."""

KECAMATAN = Annotated[
    str | None,
    Query(
        pattern=r"^\d{2}\.\d{2}\.\d{2}$",
        description="One district (kecamatan), by its dotted Kemendagri code.",
        examples=["36.71.07"],
    ),
]

WHO_READS = (
    "Who may call: city administrators, monitoring viewers, or agency clients with "
    "`monitoring:read`. Eventually consistent: built from the event stream, usually within "
    "seconds. `?format=csv` downloads the same rows."
)
