"""A school's applicants to one pathway in ranking order, for the school's officers."""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from kota_contracts.education import Pathway

from education.admission.pathways import is_offered, published_quotas
from education.admission.ranking import rank
from education.dependencies import SchoolOfficer
from education.problems import PathwayNotOffered, SchoolNotFound
from education.registrations import repository
from education.registrations.context import RegistrationDesk
from education.registrations.schemas import RankedRegistration, SchoolRanking
from education.schools import repository as schools

router = APIRouter(prefix="/v1/education/schools", tags=["education"])

Npsn = Annotated[str, Path(pattern=r"^\d{8}$", examples=["20603115"])]


@router.get(
    "/{npsn}/registrations",
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
    npsn: Npsn,
    pathway: Annotated[Pathway, Query(description="The pathway to rank.")],
    desk: RegistrationDesk,
    _officer: SchoolOfficer,
) -> SchoolRanking:
    school = await schools.get_by_npsn(session=desk.session, npsn=npsn)
    if school is None:
        raise SchoolNotFound(f"No school in the city has NPSN {npsn}.")
    if not is_offered(school.level, pathway):
        raise PathwayNotOffered.at(school.level)
    registrations = await repository.active_at_school(
        session=desk.session,
        school_npsn=school.npsn,
        admission_year=desk.period.year,
        pathway=pathway,
    )
    places = published_quotas(school.level, school.capacity)
    ranked = rank(registrations, level=school.level, pathway=pathway)
    return SchoolRanking(
        npsn=school.npsn,
        name=school.name,
        level=school.level,
        admission_year=desk.period.year,
        pathway=pathway,
        quota=places[pathway] if places is not None else None,
        registrations=[RankedRegistration.at(place, r) for place, r in enumerate(ranked, 1)],
    )
