"""Endpoints for event volumes."""

from fastapi import APIRouter

from kota_shared.db import DbSession
from monitoring.counters import repository
from monitoring.counters.schemas import EventCountRead
from monitoring.dependencies import Viewer

router = APIRouter(prefix="/v1/monitoring", tags=["monitoring"])


@router.get(
    "/event-counts",
    summary="Events published so far, per type",
    description=(
        "Who may call: city administrators, monitoring viewers, or agency clients with "
        "`monitoring:read`. Eventually consistent: built from the event stream."
    ),
)
async def event_counts(session: DbSession, viewer: Viewer) -> list[EventCountRead]:
    return [EventCountRead.of(c, viewer) for c in await repository.list_counts(session)]
