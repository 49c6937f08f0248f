"""Endpoints for citizens' applications."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from kota_shared.auth import Principal, Require
from kota_shared.db import DbSession
from kota_shared.problems import NotFound
from permits.applications import repository, service
from permits.applications.schemas import ApplicationDraft, ApplicationRead

router = APIRouter(prefix="/v1/permits/applications", tags=["permits"])

Citizen = Annotated[Principal, Depends(Require(roles={"citizen"}))]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Start a permit application (draft)",
    description="Who may call: a signed-in citizen, for themselves. Strongly consistent.",
)
async def create_draft(
    body: ApplicationDraft, session: DbSession, citizen: Citizen, request: Request
) -> ApplicationRead:
    application = await service.draft(
        session=session,
        outbox=request.app.state.runtime.outbox,
        applicant=citizen,
        body=body,
    )
    return ApplicationRead.model_validate(application)


@router.get(
    "",
    summary="Your applications, newest first",
    description="Who may call: a signed-in citizen; only their own applications are listed.",
)
async def list_applications(
    session: DbSession,
    citizen: Citizen,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> list[ApplicationRead]:
    applications = await repository.list_owned(
        session=session, applicant_id=citizen.subject, limit=limit
    )
    return [ApplicationRead.model_validate(a) for a in applications]


@router.get(
    "/{application_id}",
    summary="Read one of your applications",
    description="Who may call: the citizen who owns it; anyone else gets 404.",
)
async def read_application(
    application_id: uuid.UUID, session: DbSession, citizen: Citizen
) -> ApplicationRead:
    application = await repository.get_owned(
        session=session, application_id=application_id, applicant_id=citizen.subject
    )
    if application is None:
        raise NotFound("No application with this id belongs to you.")
    return ApplicationRead.model_validate(application)
