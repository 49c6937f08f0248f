"""Endpoints for registrations: a parent's own, and school officers reading any."""

from fastapi import APIRouter, Response, status

from education.dependencies import Citizen, CitizenOrSchoolOfficer, Idempotent, SchoolOfficer
from education.families.dependencies import CallersCard
from education.problems import (
    AchievementScoreNotApplicable,
    AchievementScoreRequired,
    FamilyCardNotFound,
    FamilyCardTooRecent,
    FamilyCardUnavailable,
    FamilyRegistrationLimit,
    HomeNotLocated,
    PathwayNotOffered,
    PsychologistRecommendationRequired,
    RegistrationAlreadyVerified,
    RegistrationClosed,
    RegistrationNotActive,
    StudentAlreadyRegistered,
    StudentNotOnFamilyCard,
    StudentTooOld,
    StudentTooYoung,
    UnknownSchool,
)
from education.registrations import repository, service
from education.registrations.dependencies import (
    AnyRegistrationForUpdate,
    OwnRegistrationForUpdate,
    VisibleRegistrationForUpdate,
)
from education.registrations.schemas import (
    RegistrationCreate,
    RegistrationRead,
    VerificationCreate,
)
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
        StudentNotOnFamilyCard,
        FamilyCardNotFound,
        HomeNotLocated,
        FamilyRegistrationLimit,
        FamilyCardUnavailable,
    ),
    summary="Register a child for a school place (SPMB)",
    description=(
        "Who may call: a signed-in citizen (the parent or guardian), or an officer at a kiosk "
        "with a token for them (the record names the officer in `registered_by`). While "
        "registration is open (else 409 `registration_period_closed`). The family comes "
        "from the civil registry: the caller's own family card (KK), read through the "
        "gateway with the caller's token (none: 422 `no_family_card`; the registry "
        "unreachable: 503 `family_card_unavailable` with `Retry-After`). The child is named "
        "by NIK and must be a child on that card (else 422 `student_not_on_family_card`, the "
        "same whether the NIK is on another card or none); the child's name and date of "
        "birth, the card's issue date and the home's location are the registry's, never "
        "typed in (a home without a location: 422 `home_not_located`). Checks: the school "
        "exists (422 `unknown_school`); the pathway is offered at its level (422 "
        "`pathway_not_offered`; no prestasi for SD); a score is sent for prestasi and only "
        "for it (422 `achievement_score_required`, `achievement_score_not_applicable`); the "
        "family card was issued at least a year before today (422 `family_card_too_recent`); "
        "the child's age at the reference date (422 `student_too_young`, "
        "`psychologist_recommendation_required`, `student_too_old`); the family card holds "
        "fewer active registrations this year than the limit (409 "
        "`family_registration_limit`); the child has no other active registration this year "
        "(409 `student_already_registered`, without saying whose). Stores the straight-line "
        "distance from the card's address to the school. With an `Idempotency-Key`, a "
        "retry returns the first answer. Strongly consistent."
    ),
)
async def register_child(
    body: RegistrationCreate,
    parent: Citizen,
    family_card: CallersCard,
    tx: EducationTx,
    idempotent: Idempotent,
) -> Response:
    async def register_it() -> RegistrationRead:
        card = await family_card.read()
        registration = await service.register(tx, parent=parent, body=body, card=card)
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


@router.post(
    "/{registration_id}/verification",
    responses=answers(RegistrationNotActive, RegistrationAlreadyVerified),
    summary="Record the documents checked for a registration",
    description=(
        "Who may call: a school officer (`school_officer`); anyone else 403. The officer has "
        "checked the family's originals (family card, birth certificate, and what the "
        "pathway needs) and records which, with an optional note; the record names the "
        "officer and the time, and `education.registration.verified.v1` announces it. Once "
        "per registration (409 `registration_already_verified`); a withdrawn one is 409 "
        "`registration_not_active`. Strongly consistent."
    ),
)
async def verify_registration(
    body: VerificationCreate,
    tx: EducationTx,
    officer: SchoolOfficer,
    registration: AnyRegistrationForUpdate,
) -> RegistrationRead:
    await service.verify(tx, registration=registration, by=officer, body=body)
    return RegistrationRead.of(registration, officer)
