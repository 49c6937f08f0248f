"""The applicant's operations: draft, fill in, submit, cancel; the request boundary commits."""

from collections.abc import Mapping
from typing import Any

from kota_contracts.permits import (
    ApplicationCancelled,
    ApplicationDrafted,
    ApplicationSubmitted,
)

from kota_shared.auth import Principal
from permits.applications import transitions
from permits.applications.context import Workflow
from permits.applications.models import Application
from permits.applications.schemas import ApplicationDraft, ApplicationUpdate
from permits.applications.transitions import Step
from permits.applications.workflow import Action, Actor, Status
from permits.catalogue import repository as catalogue
from permits.catalogue.definition import PermitTypeDefinition
from permits.catalogue.fields import FieldErrors, validate_fields
from permits.documents import repository as documents
from permits.problems import IncompleteApplication, InvalidFields, NotEditable, UnknownPermitType

EDITABLE = frozenset({Status.DRAFT, Status.REVISION_REQUESTED})


async def offered_type(flow: Workflow, code: str) -> PermitTypeDefinition:
    definition = await catalogue.get(flow.session, code)
    if definition is None or not definition.active:
        raise UnknownPermitType(f"The city does not offer a permit type with code {code}.")
    return definition


def _validated(
    definition: PermitTypeDefinition, values: Mapping[str, Any], *, complete: bool
) -> dict[str, Any]:
    try:
        return validate_fields(definition.fields, values, complete=complete)
    except FieldErrors as exc:
        raise InvalidFields(
            errors=[{"field": name, "message": message} for name, message in exc.errors]
        ) from None


async def draft(flow: Workflow, applicant: Principal, body: ApplicationDraft) -> Application:
    """Start an application and announce it, in one transaction."""
    definition = await offered_type(flow, body.permit_type)
    application = Application(
        applicant_id=applicant.subject,
        created_by=applicant.acted_by,
        permit_type=definition.code,
        district_code=body.district_code,
        holder_name=body.holder_name,
        fields=_validated(definition, body.fields, complete=False),
        status=Status.DRAFT,
    )
    flow.session.add(application)
    await flow.session.flush()
    await flow.outbox.add(
        flow.session,
        ApplicationDrafted(
            application_id=application.id,
            permit_type=application.permit_type,
            district_code=application.district_code,
            drafted_at=application.created_at,
        ),
        subject=str(application.id),
    )
    return application


def ensure_editable(application: Application) -> None:
    if application.status not in EDITABLE:
        raise NotEditable(
            f"The application is {application.status.value}.",
            current_status=application.status.value,
        )


async def update(flow: Workflow, application: Application, body: ApplicationUpdate) -> None:
    """Change what the applicant may still change; fields are merged, ``null`` clears one."""
    ensure_editable(application)
    definition = await catalogue.definition_of(flow.session, application.permit_type)
    changes = body.model_dump(exclude_unset=True)
    if "holder_name" in changes:
        application.holder_name = body.holder_name
    if "district_code" in changes:
        application.district_code = body.district_code
    if body.fields:
        merged = {**application.fields, **body.fields}
        kept = {name: value for name, value in merged.items() if value is not None}
        application.fields = _validated(definition, kept, complete=False)


async def _missing(
    flow: Workflow, application: Application, definition: PermitTypeDefinition
) -> list[str]:
    have = await documents.kinds_for(flow.session, application.id)
    missing = [
        f"document {d.kind}" for d in definition.documents if d.required and d.kind not in have
    ]
    if not application.holder_name:
        missing.insert(0, "holder_name")
    if application.district_code is None:
        missing.insert(0, "district_code")
    return missing


async def submit(
    flow: Workflow, applicant: Principal, application: Application, note: str | None
) -> None:
    """Hand in a draft, or a revised application: complete form and required documents."""
    definition = await offered_type(flow, application.permit_type)
    resubmission = application.status is Status.REVISION_REQUESTED
    action = Action.RESUBMIT if resubmission else Action.SUBMIT
    if application.status in EDITABLE:
        application.fields = _validated(definition, application.fields, complete=True)
        missing = await _missing(flow, application, definition)
        if missing:
            raise IncompleteApplication(
                "Still missing: " + ", ".join(missing) + ".", missing=missing
            )
    transitions.apply(
        flow.session,
        application,
        Step.by(applicant, action, Actor.APPLICANT, flow.now, note),
        calendar=flow.calendar,
        targets=definition.stage_targets,
    )
    application.submitted_at = flow.now
    assert application.stage_deadline_at is not None  # submitting starts verification's clock
    await flow.outbox.add(
        flow.session,
        ApplicationSubmitted(
            application_id=application.id,
            permit_type=application.permit_type,
            district_code=application.district_code,
            resubmission=resubmission,
            submitted_at=flow.now,
            deadline_at=application.stage_deadline_at,
        ),
        subject=str(application.id),
    )


async def cancel(
    flow: Workflow, applicant: Principal, application: Application, note: str | None
) -> None:
    await transitions.take(
        flow, application, Step.by(applicant, Action.CANCEL, Actor.APPLICANT, flow.now, note)
    )
    await flow.outbox.add(
        flow.session,
        ApplicationCancelled(
            application_id=application.id,
            permit_type=application.permit_type,
            cancelled_at=flow.now,
        ),
        subject=str(application.id),
    )
