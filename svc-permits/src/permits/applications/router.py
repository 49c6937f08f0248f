"""Endpoints for applications: the applicant's own, and officers' review of any."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from kota_shared.auth import Principal
from kota_shared.problems import NotFound
from permits.applications import repository, review, service, workflow
from permits.applications.flow import Flow
from permits.applications.models import Application
from permits.applications.schemas import (
    ApplicationDraft,
    ApplicationRead,
    ApplicationUpdate,
    ReasonedStepRequest,
    StepRequest,
    TransitionRead,
)
from permits.dependencies import Citizen, CitizenOrOfficer, Idempotent, Officer, is_officer

router = APIRouter(prefix="/v1/permits/applications", tags=["permits"])

_NOT_YOURS = "No application with this id belongs to you."


def present(application: Application, caller: Principal) -> ApplicationRead:
    actor = workflow.Actor.OFFICER if is_officer(caller) else workflow.Actor.APPLICANT
    read = ApplicationRead.model_validate(application)
    read.next_actions = sorted(workflow.available_actions(application.status, actor))
    return read


async def _visible(flow: Flow, caller: Principal, application_id: uuid.UUID) -> Application:
    """The application if the caller may see it: its applicant, or a permits officer."""
    found = await repository.get_visible(
        session=flow.session,
        application_id=application_id,
        viewer=caller.subject,
        sees_all=is_officer(caller),
    )
    if found is None:
        raise NotFound(_NOT_YOURS)
    return found


async def _own(flow: Flow, citizen: Principal, application_id: uuid.UUID) -> Application:
    found = await repository.get_owned(
        session=flow.session,
        application_id=application_id,
        applicant_id=citizen.subject,
        for_update=True,
    )
    if found is None:
        raise NotFound(_NOT_YOURS)
    return found


async def _any(flow: Flow, application_id: uuid.UUID) -> Application:
    found = await repository.get_any(
        session=flow.session, application_id=application_id, for_update=True
    )
    if found is None:
        raise NotFound("There is no application with this id.")
    return found


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationRead,
    summary="Start a permit application (draft)",
    description=(
        "Who may call: a signed-in citizen, for themselves (or an officer at a kiosk with "
        "a token for the citizen; the record names both). With an `Idempotency-Key`, a "
        "retry returns the first draft instead of starting another. Strongly consistent."
    ),
)
async def create_draft(
    body: ApplicationDraft, flow: Flow, citizen: Citizen, idempotent: Idempotent
) -> Response:
    async def draft_it() -> ApplicationRead:
        return present(await service.draft(flow, citizen, body), citizen)

    return await idempotent.run(flow.session, scope=citizen.subject, operation=draft_it)


@router.get(
    "",
    summary="Your applications, newest first",
    description="Who may call: a signed-in citizen; only their own applications are listed.",
)
async def list_applications(
    flow: Flow, citizen: Citizen, limit: Annotated[int, Query(ge=1, le=100)] = 50
) -> list[ApplicationRead]:
    applications = await repository.list_owned(
        session=flow.session, applicant_id=citizen.subject, limit=limit
    )
    return [present(a, citizen) for a in applications]


@router.get(
    "/{application_id}",
    summary="Read one application",
    description=(
        "Who may call: the citizen who owns it (anyone else gets 404), or a permits "
        "officer. Strongly consistent."
    ),
)
async def read_application(
    application_id: uuid.UUID, flow: Flow, caller: CitizenOrOfficer
) -> ApplicationRead:
    return present(await _visible(flow, caller, application_id), caller)


@router.get(
    "/{application_id}/history",
    summary="Every step of the application: who, when, and why",
    description="Who may call: the citizen who owns it, or a permits officer.",
)
async def read_history(
    application_id: uuid.UUID, flow: Flow, caller: CitizenOrOfficer
) -> list[TransitionRead]:
    application = await _visible(flow, caller, application_id)
    steps = await repository.history(session=flow.session, application_id=application.id)
    return [TransitionRead.model_validate(step) for step in steps]


@router.patch(
    "/{application_id}",
    summary="Fill in or change a draft (or an application sent back for revision)",
    description="Who may call: the citizen who owns it. Anything else is 409.",
)
async def update_application(
    application_id: uuid.UUID, body: ApplicationUpdate, flow: Flow, citizen: Citizen
) -> ApplicationRead:
    application = await _own(flow, citizen, application_id)
    await service.update(flow, application, body)
    return present(application, citizen)


@router.post(
    "/{application_id}/submit",
    summary="Submit the application (or resubmit it after a revision)",
    description=(
        "Who may call: the citizen who owns it. The form must be complete and every "
        "required document uploaded (422 lists what is missing). Starts the "
        "verification stage's service-level clock."
    ),
)
async def submit(
    application_id: uuid.UUID, flow: Flow, citizen: Citizen, body: StepRequest | None = None
) -> ApplicationRead:
    application = await _own(flow, citizen, application_id)
    await service.submit(flow, citizen, application, body.note if body else None)
    return present(application, citizen)


@router.post(
    "/{application_id}/cancel",
    summary="Withdraw the application before it is decided",
    description="Who may call: the citizen who owns it.",
)
async def cancel(
    application_id: uuid.UUID, flow: Flow, citizen: Citizen, body: StepRequest | None = None
) -> ApplicationRead:
    application = await _own(flow, citizen, application_id)
    await service.cancel(flow, citizen, application, body.note if body else None)
    return present(application, citizen)


@router.post(
    "/{application_id}/claim",
    summary="Claim a submitted application and start reviewing it",
    description="Who may call: a permits officer (`permits_officer`).",
)
async def claim(
    application_id: uuid.UUID, flow: Flow, officer: Officer, body: StepRequest | None = None
) -> ApplicationRead:
    application = await _any(flow, application_id)
    await review.claim(flow, officer, application, body.note if body else None)
    return present(application, officer)


@router.post(
    "/{application_id}/request-revision",
    summary="Send the application back to the applicant, saying what to change",
    description="Who may call: the permits officer who claimed it.",
)
async def request_revision(
    application_id: uuid.UUID, body: ReasonedStepRequest, flow: Flow, officer: Officer
) -> ApplicationRead:
    application = await _any(flow, application_id)
    await review.request_revision(flow, officer, application, body.note)
    return present(application, officer)


@router.post(
    "/{application_id}/approve",
    summary="Approve: the fee is assessed; a free permit is issued at once",
    description="Who may call: the permits officer who claimed it.",
)
async def approve(
    application_id: uuid.UUID, flow: Flow, officer: Officer, body: StepRequest | None = None
) -> ApplicationRead:
    application = await _any(flow, application_id)
    await review.approve(flow, officer, application, body.note if body else None)
    return present(application, officer)


@router.post(
    "/{application_id}/reject",
    summary="Reject the application, giving the reason",
    description="Who may call: the permits officer who claimed it.",
)
async def reject(
    application_id: uuid.UUID, body: ReasonedStepRequest, flow: Flow, officer: Officer
) -> ApplicationRead:
    application = await _any(flow, application_id)
    await review.reject(flow, officer, application, body.note)
    return present(application, officer)
