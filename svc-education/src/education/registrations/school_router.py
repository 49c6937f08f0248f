"""A school's applicants to one pathway in ranking order, for the school's officers."""

from typing import Annotated

from fastapi import APIRouter, Query

from education.dependencies import SchoolOfficer
from education.problems import PathwayNotOffered, SchoolNotFound
from education.registrations import service
from education.registrations.schemas import SchoolRanking
from education.schools.dependencies import AnySchool
from education.transaction import EducationTx
from kota_contracts.education import Pathway
from kota_shared.openapi import answers

router = APIRouter(prefix="/v1/education/schools", tags=["education"])


@router.get(
    "/{npsn}/registrations",
    responses=answers(SchoolNotFound, PathwayNotOffered),
    summary="A school's registrations to one pathway, in ranking order",
    description=(
        "Who may call: a school officer (`school_officer`). Active registrations of the "
        "current admission year, ranked as the pathway ranks them: SD by age (older first), "
        "then distance; SMP and SMA by distance, ties to the older child, then the earlier "
        "registration; prestasi by score. With the pathway's quota at this school. This is "
        "the order only: selection and announcement of results are not made here. "
        "An unknown school is 404 `school_not_found`; a pathway the school's level does not "
        "offer is 422 `pathway_not_offered`. Strongly consistent."
    ),
)
async def school_ranking(
    pathway: Annotated[Pathway, Query(description="The pathway to rank.")],
    tx: EducationTx,
    _officer: SchoolOfficer,
    school: AnySchool,
) -> SchoolRanking:
    ranked = await service.school_ranking(tx, school=school, pathway=pathway)
    return SchoolRanking.of(school, admission_year=tx.period.year, pathway=pathway, ranked=ranked)
