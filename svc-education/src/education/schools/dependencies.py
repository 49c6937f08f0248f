"""The school an endpoint's path names by NPSN, loaded or answered with 404."""

from typing import Annotated

from fastapi import Depends, Path

from education.messages import _
from education.problems import SchoolNotFound
from education.schools import repository
from education.schools.models import School
from kota_shared.db import DbSession

Npsn = Annotated[str, Path(pattern=r"^\d{8}$", examples=["20603115"])]


async def _any_school(npsn: Npsn, session: DbSession) -> School:
    school = await repository.get_by_npsn(session, npsn=npsn)
    if school is None:
        raise SchoolNotFound(_("No school in the city has NPSN {npsn}.", npsn=npsn))
    return school


AnySchool = Annotated[School, Depends(_any_school)]
"""The school of the path's ``npsn``: the directory is public, so any caller's."""
