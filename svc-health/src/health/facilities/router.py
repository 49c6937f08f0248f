"""Endpoints for health facilities."""

from typing import Annotated

from fastapi import APIRouter, Query

from health.facilities import repository
from health.facilities.schemas import FacilityRead
from kota_shared.db import DbSession

router = APIRouter(prefix="/v1/health/facilities", tags=["health"])


@router.get(
    "",
    summary="List health facilities",
    description=(
        "Who may call: anyone, without signing in (the directory is public). Ordered by name. "
        "Strongly consistent."
    ),
)
async def list_facilities(
    session: DbSession,
    district_code: Annotated[
        str | None,
        Query(
            pattern=r"^\d{6}$",
            description="Only facilities in this kecamatan (6-digit code).",
            examples=["367105"],
        ),
    ] = None,
) -> list[FacilityRead]:
    facilities = await repository.list_facilities(session=session, district_code=district_code)
    return [FacilityRead.model_validate(f) for f in facilities]
