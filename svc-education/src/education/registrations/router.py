"""Endpoints for registrations: a parent's own, and school officers reading any."""

from fastapi import APIRouter, Response, status

from education.dependencies import Citizen, CitizenOrSchoolOfficer, Idempotent
from education.problems import (
    AchievementScoreNotApplicable,
    AchievementScoreRequired,
    FamilyCardTooRecent,
    PathwayNotOffered,
    PsychologistRecommendationRequired,
    RegistrationClosed,
    RegistrationNotActive,
    StudentAlreadyRegistered,
    StudentTooOld,
    StudentTooYoung,
    UnknownSchool,
)
from education.registrations import repository, service
from education.registrations.dependencies import (
    OwnRegistrationForUpdate,
    VisibleRegistrationForUpdate,
)
from education.registrations.schemas import RegistrationCreate, RegistrationRead
from education.transaction import EducationTx
from kota_shared.openapi import answers
from kota_shared.pagination import PAGINATION_DESCRIPTION, Page

router = APIRouter(prefix="/v1/education/registrations", tags=["education"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RegistrationRead,
    responses=answers(
        RegistrationClosed,
        StudentAlreadyRegistered,
        UnknownSchool,
        PathwayNotOffered,
        AchievementScoreRequired,
        AchievementScoreNotApplicable,
        FamilyCardTooRecent,
        StudentTooYoung,
        PsychologistRecommendationRequired,
        StudentTooOld,
    ),
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
async def register_child(
    body: RegistrationCreate, tx: EducationTx, parent: Citizen, idempotent: Idempotent
) -> Response:
    async def register_it() -> RegistrationRead:
        registration = await service.register(tx, parent=parent, body=body)
        return RegistrationRead.of(registration, parent)

    return await idempotent.run(tx.session, scope=parent.subject, operation=register_it)


@router.get(
    "",
    summary="Your registrations this admission year, newest first",
    description=(
        "Who may call: a signed-in citizen; only the registrations they made are listed, "
        "withdrawn ones included. Strongly consistent." + PAGINATION_DESCRIPTION
    ),
)
async def list_registrations(
    tx: EducationTx, parent: Citizen, page: Page, response: Response
) -> list[RegistrationRead]:
    registrations = await service.list_of_parent(
        tx,
        parent=parent,
        after=page.after(*repository.PARENT_KEY_TYPES),
        limit=page.fetch_size(),
    )
    shown = page.answer(registrations, response, key=repository.PARENT_ORDER.key)
    return [RegistrationRead.of(r, parent) for r in shown]


@router.get(
    "/{registration_id}",
    summary="Read one registration",
    description=(
        "Who may call: the citizen who made it (anyone else gets 404), or a school officer "
        "(`school_officer`). Strongly consistent."
    ),
)
async def read_registration(
    caller: CitizenOrSchoolOfficer, registration: VisibleRegistrationForUpdate
) -> RegistrationRead:
    return RegistrationRead.of(registration, caller)


@router.post(
    "/{registration_id}/withdraw",
    responses=answers(RegistrationNotActive, RegistrationClosed),
    summary="Withdraw a registration",
    description=(
        "Who may call: the citizen who made it (anyone else gets 404), while registration is "
        "open (else 409 `registration_period_closed`); a registration already withdrawn is "
        "409 `registration_not_active`. The child may then register again."
    ),
)
async def withdraw_registration(
    tx: EducationTx, parent: Citizen, registration: OwnRegistrationForUpdate
) -> RegistrationRead:
    await service.withdraw(tx, registration=registration, by=parent)
    return RegistrationRead.of(registration, parent)
