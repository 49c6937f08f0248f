"""Endpoints for schools."""

from typing import Annotated

from fastapi import APIRouter, Query

from education.schools import repository
from education.schools.schemas import SchoolRead
from kota_contracts.education import SchoolLevel
from kota_shared.db import DbSession

router = APIRouter(prefix="/v1/education/schools", tags=["education"])


@router.get(
    "",
    summary="List schools",
    description=(
        "Who may call: anyone, without signing in (the directory is public). Ordered by name. "
        "Strongly consistent."
    ),
)
async def list_schools(
    session: DbSession,
    level: Annotated[
        SchoolLevel | None, Query(description="Only schools of this level.", examples=["SMP"])
    ] = None,
) -> list[SchoolRead]:
    schools = await repository.list_schools(session, level=level)
    return [SchoolRead.model_validate(s) for s in schools]
