"""Endpoints for applications: the applicant's own, and officers' review of any."""

from typing import Annotated

from fastapi import APIRouter, Body, Response, status

from kota_shared.openapi import answers
from kota_shared.pagination import PAGINATION_DESCRIPTION, Page
from kota_shared.transaction import CurrentTransaction
from permits.applications import repository, review, service
from permits.applications.dependencies import (
    AnyApplicationForUpdate,
    OwnApplicationForUpdate,
    VisibleApplication,
)
from permits.applications.schemas import (
    STEP_EXAMPLES,
    ApplicationDraft,
    ApplicationRead,
    ApplicationUpdate,
    ReasonedStepRequest,
    StepRequest,
    TransitionRead,
)
from permits.dependencies import Citizen, CitizenOrOfficer, Idempotent, Officer
from permits.problems import (
    ClaimedByAnotherOfficer,
    FeeNeedsAnswers,
    IllegalTransition,
    IncompleteApplication,
    InvalidFields,
    NotEditable,
    TooManyDrafts,
    UnknownPermitType,
)
from permits.transaction import PermitsTx

router = APIRouter(prefix="/v1/permits/applications", tags=["permits"])

OptionalStep = Annotated[StepRequest | None, Body(examples=STEP_EXAMPLES)]
"""A step's body, which may be left out: its note is optional."""


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationRead,
    summary="Start a permit application (draft)",
    description=(
        "Who may call: a signed-in citizen, for themselves (or an officer at a kiosk with "
        "a token for the citizen; the record names both). With an `Idempotency-Key`, a "
        "retry returns the first draft instead of starting another. An account holds at "
        "most 5 drafts at once unless the city sets another limit: one more is a 409 "
        "`too_many_drafts` (its `limit` says how many) until a draft is submitted or "
        "withdrawn (`POST .../{application_id}/cancel`). Strongly consistent."
    ),
    responses=answers(UnknownPermitType, InvalidFields, TooManyDrafts),
)
async def create_draft(
    body: ApplicationDraft, tx: PermitsTx, citizen: Citizen, idempotent: Idempotent
) -> Response:
    async def draft_it() -> ApplicationRead:
        return ApplicationRead.of(await service.draft(tx, draft=body, by=citizen), citizen)

    return await idempotent.run(tx.session, scope=citizen.subject, operation=draft_it)


@router.get(
    "",
    summary="Your applications, newest first",
    description="Who may call: a signed-in citizen; only their own applications are listed."
    + PAGINATION_DESCRIPTION,
)
async def list_applications(
    tx: CurrentTransaction, citizen: Citizen, page: Page, response: Response
) -> list[ApplicationRead]:
    applications = await service.own_applications(
        tx,
        applicant=citizen,
        after=page.after(*repository.OWNED_KEY_TYPES),
        limit=page.fetch_size(),
    )
    shown = page.answer(applications, response, key=repository.OWNED_ORDER.key)
    return [ApplicationRead.of(a, citizen) for a in shown]


@router.get(
    "/{application_id}",
    summary="Read one application",
    description=(
        "Who may call: the citizen who owns it (anyone else gets 404), or a permits "
        "officer. Strongly consistent."
    ),
)
async def read_application(
    caller: CitizenOrOfficer, application: VisibleApplication
) -> ApplicationRead:
    return ApplicationRead.of(application, caller)


@router.get(
    "/{application_id}/history",
    summary="Every step of the application: who, when, and why",
    description="Who may call: the citizen who owns it, or a permits officer.",
)
async def read_history(
    application: VisibleApplication, tx: CurrentTransaction
) -> list[TransitionRead]:
    steps = await service.history(tx, application=application)
    return [TransitionRead.of(step) for step in steps]


@router.patch(
    "/{application_id}",
    summary="Fill in or change a draft (or an application sent back for revision)",
    description="Who may call: the citizen who owns it. Anything else is 409.",
    responses=answers(NotEditable, InvalidFields),
)
async def update_application(
    body: ApplicationUpdate,
    citizen: Citizen,
    application: OwnApplicationForUpdate,
    tx: CurrentTransaction,
) -> ApplicationRead:
    await service.update(tx, application=application, changes=body)
    return ApplicationRead.of(application, citizen)


@router.post(
    "/{application_id}/submit",
    summary="Submit the application (or resubmit it after a revision)",
    description=(
        "Who may call: the citizen who owns it. The form must be complete and every "
        "required document uploaded (422 lists what is missing). Starts the "
        "verification stage's service-level clock."
    ),
    responses=answers(UnknownPermitType, InvalidFields, IncompleteApplication, IllegalTransition),
)
async def submit_application(
    citizen: Citizen,
    application: OwnApplicationForUpdate,
    tx: PermitsTx,
    body: OptionalStep = None,
) -> ApplicationRead:
    await service.submit(tx, application=application, by=citizen, note=body.note if body else None)
    return ApplicationRead.of(application, citizen)


@router.post(
    "/{application_id}/cancel",
    summary="Withdraw the application before it is decided",
    description=(
        "Who may call: the citizen who owns it. A withdrawn draft no longer counts "
        "towards the drafts an account may hold at once."
    ),
    responses=answers(IllegalTransition),
)
async def cancel_application(
    citizen: Citizen,
    application: OwnApplicationForUpdate,
    tx: PermitsTx,
    body: OptionalStep = None,
) -> ApplicationRead:
    await service.cancel(tx, application=application, by=citizen, note=body.note if body else None)
    return ApplicationRead.of(application, citizen)


@router.post(
    "/{application_id}/claim",
    summary="Claim a submitted application and start reviewing it",
    description="Who may call: a permits officer (`permits_officer`).",
    responses=answers(IllegalTransition),
)
async def claim_application(
    officer: Officer,
    application: AnyApplicationForUpdate,
    tx: PermitsTx,
    body: OptionalStep = None,
) -> ApplicationRead:
    await review.claim(tx, application=application, by=officer, note=body.note if body else None)
    return ApplicationRead.of(application, officer)


@router.post(
    "/{application_id}/request-revision",
    summary="Send the application back to the applicant, saying what to change",
    description="Who may call: the permits officer who claimed it.",
    responses=answers(ClaimedByAnotherOfficer, IllegalTransition),
)
async def request_revision(
    body: ReasonedStepRequest,
    officer: Officer,
    application: AnyApplicationForUpdate,
    tx: PermitsTx,
) -> ApplicationRead:
    await review.request_revision(tx, application=application, by=officer, note=body.note)
    return ApplicationRead.of(application, officer)


@router.post(
    "/{application_id}/approve",
    summary="Approve: the fee is assessed; a free permit is issued at once",
    description="Who may call: the permits officer who claimed it.",
    responses=answers(ClaimedByAnotherOfficer, IllegalTransition, FeeNeedsAnswers),
)
async def approve_application(
    officer: Officer,
    application: AnyApplicationForUpdate,
    tx: PermitsTx,
    body: OptionalStep = None,
) -> ApplicationRead:
    await review.approve(tx, application=application, by=officer, note=body.note if body else None)
    return ApplicationRead.of(application, officer)


@router.post(
    "/{application_id}/reject",
    summary="Reject the application, giving the reason",
    description="Who may call: the permits officer who claimed it.",
    responses=answers(ClaimedByAnotherOfficer, IllegalTransition),
)
async def reject_application(
    body: ReasonedStepRequest,
    officer: Officer,
    application: AnyApplicationForUpdate,
    tx: PermitsTx,
) -> ApplicationRead:
    await review.reject(tx, application=application, by=officer, reason=body.note)
    return ApplicationRead.of(application, officer)
