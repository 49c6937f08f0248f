"""Officers' operations on an application: claim it, send it back, approve, reject."""

from kota_contracts.permits import ApplicationRejected, RevisionRequested

from kota_shared.auth import Principal
from permits.applications import transitions
from permits.applications.context import Workflow
from permits.applications.decisions import conclude_approval
from permits.applications.models import Application
from permits.applications.transitions import Step
from permits.applications.workflow import Action, Actor
from permits.problems import ClaimedByAnotherOfficer


def _ensure_claimed_by(application: Application, officer: Principal) -> None:
    """Decisions belong to the officer who claimed the application, so no two collide."""
    if application.claimed_by is not None and application.claimed_by != officer.subject:
        raise ClaimedByAnotherOfficer(claimed_by=application.claimed_by)


async def claim(
    flow: Workflow, officer: Principal, application: Application, note: str | None
) -> None:
    """Take a submitted application from the queue and start reviewing it."""
    await transitions.take(
        flow, application, Step.by(officer, Action.START_REVIEW, Actor.OFFICER, flow.now, note)
    )
    application.claimed_by = officer.subject


async def request_revision(
    flow: Workflow, officer: Principal, application: Application, note: str
) -> None:
    _ensure_claimed_by(application, officer)
    await transitions.take(
        flow, application, Step.by(officer, Action.REQUEST_REVISION, Actor.OFFICER, flow.now, note)
    )
    await flow.outbox.add(
        flow.session,
        RevisionRequested(
            application_id=application.id,
            applicant_id=application.applicant_id,
            permit_type=application.permit_type,
            note=note,
            requested_at=flow.now,
        ),
        subject=str(application.id),
    )


async def approve(
    flow: Workflow, officer: Principal, application: Application, note: str | None
) -> None:
    _ensure_claimed_by(application, officer)
    definition = await transitions.take(
        flow, application, Step.by(officer, Action.APPROVE, Actor.OFFICER, flow.now, note)
    )
    await conclude_approval(flow, application, definition, deemed=False)


async def reject(flow: Workflow, officer: Principal, application: Application, reason: str) -> None:
    _ensure_claimed_by(application, officer)
    await transitions.take(
        flow, application, Step.by(officer, Action.REJECT, Actor.OFFICER, flow.now, reason)
    )
    application.decided_at = flow.now
    await flow.outbox.add(
        flow.session,
        ApplicationRejected(
            application_id=application.id,
            applicant_id=application.applicant_id,
            permit_type=application.permit_type,
            reason=reason,
            rejected_at=flow.now,
        ),
        subject=str(application.id),
    )
