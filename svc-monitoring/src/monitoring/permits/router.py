"""Endpoints for permits against their deadlines."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from kota_shared.clock import Now
from kota_shared.db import DbSession
from monitoring.dependencies import KECAMATAN, WHO_READS, Viewer
from monitoring.export import Format, FormatQuery, rows_response
from monitoring.filters import PERIOD_ANSWERS, PeriodQuery
from monitoring.permits import figures
from monitoring.permits.figures import PermitFilters, PermitGrouping
from monitoring.permits.schemas import PermitBacklog, PermitServiceLevels

router = APIRouter(prefix="/v1/monitoring/permits", tags=["monitoring"])

PermitType = Annotated[str | None, Query(max_length=40, description="One permit type's code.")]


@router.get(
    "/service-levels",
    summary="Permits against their deadlines, per type, district, day or month",
    description="Volumes, compliance with each stage's deadline (closed before its due "
    "time, as permits set it), p50/p90 working days per stage and end to end, fiktif-positif "
    "approvals and the wait for payment, over a period of the city's days. " + WHO_READS,
    response_model=list[PermitServiceLevels],
    responses=PERIOD_ANSWERS,
)
async def service_levels(
    session: DbSession,
    viewer: Viewer,
    period: PeriodQuery,
    format: FormatQuery = Format.JSON,
    group_by: PermitGrouping = PermitGrouping.PERMIT_TYPE,
    permit_type: PermitType = None,
    kecamatan: KECAMATAN = None,
) -> Response:
    rows = await figures.service_levels(
        session, PermitFilters(period, permit_type, kecamatan), group_by
    )
    return rows_response(
        [PermitServiceLevels.model_validate(row) for row in rows],
        PermitServiceLevels,
        format=format,
        name=f"permits-service-levels-{period.since}-{period.until}",
    )


@router.get(
    "/backlog",
    summary="Applications with the city now, by age and deadline",
    description="Per type, district and stage: open applications by whole working days "
    "waited (0-2, 3-5, 6-10, over 10), at risk (past 80 % of the stage's time) and overdue. "
    + WHO_READS,
    response_model=list[PermitBacklog],
)
async def backlog(
    session: DbSession,
    viewer: Viewer,
    now: Now,
    format: FormatQuery = Format.JSON,
    permit_type: PermitType = None,
    kecamatan: KECAMATAN = None,
) -> Response:
    rows = await figures.backlog(session, now=now, permit_type=permit_type, kecamatan=kecamatan)
    return rows_response(
        [PermitBacklog.model_validate(row) for row in rows],
        PermitBacklog,
        format=format,
        name="permits-backlog",
    )
