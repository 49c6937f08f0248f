"""Endpoints for clinic bookings."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from kota_shared.db import DbSession
from monitoring.dependencies import WHO_READS, Viewer
from monitoring.export import Format, FormatQuery, rows_response
from monitoring.filters import PERIOD_ANSWERS, PeriodQuery
from monitoring.health import figures
from monitoring.health.schemas import BookingFigures

router = APIRouter(prefix="/v1/monitoring/health", tags=["monitoring"])


@router.get(
    "/bookings",
    summary="Clinic bookings per facility and service over visit days",
    description="The period is of visit days. " + WHO_READS,
    response_model=list[BookingFigures],
    responses=PERIOD_ANSWERS,
)
async def bookings(
    session: DbSession,
    viewer: Viewer,
    period: PeriodQuery,
    format: FormatQuery = Format.JSON,
    facility: Annotated[str | None, Query(max_length=40, description="A facility code.")] = None,
    by_day: Annotated[bool, Query(description="One row per visit day as well.")] = False,
) -> Response:
    rows = await figures.bookings(session, period, facility=facility, by_day=by_day)
    return rows_response(
        [BookingFigures.model_validate(row) for row in rows],
        BookingFigures,
        format=format,
        name=f"clinic-bookings-{period.since}-{period.until}",
    )
