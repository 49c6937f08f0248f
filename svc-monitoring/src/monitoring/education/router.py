"""Endpoints for school registrations."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from kota_contracts.education import SchoolLevel
from kota_shared.clock import Now, local_date
from kota_shared.db import DbSession
from monitoring.dependencies import WHO_READS, Viewer
from monitoring.education import figures
from monitoring.education.schemas import RegistrationFigures
from monitoring.export import Format, FormatQuery, rows_response

router = APIRouter(prefix="/v1/monitoring/education", tags=["monitoring"])


@router.get(
    "/registrations",
    summary="School registrations per school, level and pathway",
    description="One admission year (default: this year). " + WHO_READS,
    response_model=list[RegistrationFigures],
)
async def registrations(
    request: Request,
    session: DbSession,
    viewer: Viewer,
    now: Now,
    format: FormatQuery = Format.JSON,
    admission_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    school: Annotated[str | None, Query(pattern=r"^\d{8}$", description="An NPSN.")] = None,
    level: SchoolLevel | None = None,
) -> Response:
    year = admission_year or local_date(now, request.app.state.runtime.settings.timezone).year
    rows = await figures.registrations(
        session, admission_year=year, school=school, level=level.value if level else None
    )
    return rows_response(
        [RegistrationFigures.model_validate(row) for row in rows],
        RegistrationFigures,
        format=format,
        name=f"school-registrations-{year}",
    )
