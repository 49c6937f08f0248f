"""Endpoints for the digital divide."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from kota_shared.db import DbSession
from monitoring.dependencies import WHO_READS, Viewer
from monitoring.export import Format, FormatQuery, rows_response
from monitoring.filters import PERIOD_ANSWERS, PeriodQuery
from monitoring.reach import figures
from monitoring.reach.schemas import ReachFigures

router = APIRouter(prefix="/v1/monitoring/reach", tags=["monitoring"])


@router.get(
    "",
    summary="Citizens served at kiosks: the share of each service's transactions",
    description="Per service (and district): citizens' own steps, and how many an officer "
    "took for them at a kiosk. " + WHO_READS,
    response_model=list[ReachFigures],
    responses=PERIOD_ANSWERS,
)
async def reach(
    session: DbSession,
    viewer: Viewer,
    period: PeriodQuery,
    format: FormatQuery = Format.JSON,
    by_kecamatan: Annotated[bool, Query(description="One row per district as well.")] = False,
    service: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    rows = await figures.assisted_shares(
        session, period, by_kecamatan=by_kecamatan, service=service
    )
    return rows_response(
        [ReachFigures.model_validate(row) for row in rows],
        ReachFigures,
        format=format,
        name=f"reach-{period.since}-{period.until}",
    )
