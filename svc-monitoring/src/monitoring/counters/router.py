"""Endpoints for event volumes."""

from typing import Annotated

from fastapi import APIRouter, Depends
from kota_contracts.access import Role, Scope

from kota_shared.auth import Principal, Require
from kota_shared.db import DbSession
from monitoring.counters import repository
from monitoring.counters.schemas import EventCountRead

router = APIRouter(prefix="/v1/monitoring", tags=["monitoring"])

Viewer = Annotated[
    Principal,
    Depends(
        Require(roles={Role.CITY_ADMIN, Role.MONITORING_VIEWER}, scopes={Scope.MONITORING_READ})
    ),
]


@router.get(
    "/event-counts",
    summary="Events published so far, per type",
    description=(
        "Who may call: city administrators, monitoring viewers, or agency clients with "
        "`monitoring:read`. Eventually consistent: built from the event stream."
    ),
)
async def event_counts(session: DbSession, _viewer: Viewer) -> list[EventCountRead]:
    return [EventCountRead.model_validate(c) for c in await repository.list_counts(session=session)]
