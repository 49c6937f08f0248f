"""Endpoints for registrations: a parent's own, and school officers reading any."""

import uuid

from fastapi import APIRouter, Response, status

from education.dependencies import (
    Citizen,
    CitizenOrSchoolOfficer,
    Idempotent,
    is_school_officer,
)
from education.registrations import repository, service
from education.registrations.context import RegistrationDesk
from education.registrations.models import Registration
from education.registrations.schemas import RegistrationCreate, RegistrationRead
from kota_shared.problems import NotFound

router = APIRouter(prefix="/v1/education/registrations", tags=["education"])

_NOT_YOURS = "No registration with this id belongs to you."


async def _found(
    desk: RegistrationDesk, registration_id: uuid.UUID, *, parent_id: str | None
) -> Registration:
    found = await repository.get(
        session=desk.session,
        registration_id=registration_id,
        parent_id=parent_id,
        for_update=True,
    )
    if found is None:
        raise NotFound(_NOT_YOURS)
    return found


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RegistrationRead,
    summary="Register a child for a school place (SPMB)",
    description=(
        "Who may call: a signed-in citizen (the parent or guardian), or an officer at a kiosk "
        "with a token for them (the record names the officer in `registered_by`). While "
        "registration is open (else 409 `registration_period_closed`). Checks: the school "
        "exists (422 `unknown_school`); the pathway is offered at its level (422 "
        "`pathway_not_offered`; no prestasi for SD); a score is sent for prestasi and only "
        "for it (422 `achievement_score_required`, `achievement_score_not_applicable`); the "
        "family card was issued at least a year before today (422 `family_card_too_recent`); "
        "the child's age at the reference date (422 `student_too_young`, "
        "`psychologist_recommendation_required`, `student_too_old`); the child has no other "
        "active registration this year (409 `student_already_registered`, without saying "
        "whose). Stores the straight-line distance home-school. With an `Idempotency-Key`, a "
        "retry returns the first answer. Strongly consistent."
    ),
)
async def register(
    body: RegistrationCreate, desk: RegistrationDesk, parent: Citizen, idempotent: Idempotent
) -> Response:
    async def register_it() -> RegistrationRead:
        return RegistrationRead.model_validate(await service.register(desk, parent, body))

    return await idempotent.run(desk.session, scope=parent.subject, operation=register_it)


@router.get(
    "",
    summary="Your registrations this admission year, newest first",
    description=(
        "Who may call: a signed-in citizen; only the registrations they made are listed, "
        "withdrawn ones included. Strongly consistent."
    ),
)
async def list_registrations(desk: RegistrationDesk, parent: Citizen) -> list[RegistrationRead]:
    registrations = await repository.list_for_parent(
        session=desk.session, parent_id=parent.subject, admission_year=desk.period.year
    )
    return [RegistrationRead.model_validate(r) for r in registrations]


@router.get(
    "/{registration_id}",
    summary="Read one registration",
    description=(
        "Who may call: the citizen who made it (anyone else gets 404), or a school officer "
        "(`school_officer`). Strongly consistent."
    ),
)
async def read_registration(
    registration_id: uuid.UUID, desk: RegistrationDesk, caller: CitizenOrSchoolOfficer
) -> RegistrationRead:
    parent_id = None if is_school_officer(caller) else caller.subject
    return RegistrationRead.model_validate(await _found(desk, registration_id, parent_id=parent_id))


@router.post(
    "/{registration_id}/withdraw",
    summary="Withdraw a registration",
    description=(
        "Who may call: the citizen who made it (anyone else gets 404), while registration is "
        "open (else 409 `registration_period_closed`); a registration already withdrawn is "
        "409 `registration_not_active`. The child may then register again."
    ),
)
async def withdraw(
    registration_id: uuid.UUID, desk: RegistrationDesk, parent: Citizen
) -> RegistrationRead:
    registration = await _found(desk, registration_id, parent_id=parent.subject)
    await service.withdraw(desk, parent, registration)
    return RegistrationRead.model_validate(registration)
