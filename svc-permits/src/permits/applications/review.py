"""Officers' operations on an application: claim it, send it back, approve, reject."""

from kota_contracts.permits import ApplicationRejected, RevisionRequested
from kota_shared.auth import Principal
from permits.applications import transitions
from permits.applications.decisions import conclude_approval
from permits.applications.models import Application
from permits.applications.transitions import Step
from permits.applications.workflow import Action, Actor
from permits.problems import ClaimedByAnotherOfficer
from permits.transaction import PermitsTransaction


def _ensure_claimed_by(application: Application, officer: Principal) -> None:
    """Decisions belong to the officer who claimed the application, so no two collide."""
    if application.claimed_by is not None and application.claimed_by != officer.subject:
        raise ClaimedByAnotherOfficer(claimed_by=application.claimed_by)


async def claim(
    tx: PermitsTransaction, *, application: Application, by: Principal, note: str | None
) -> None:
    """Take a submitted application from the queue and start reviewing it."""
    await transitions.take(
        tx,
        application=application,
        step=Step.by(by, Action.START_REVIEW, Actor.OFFICER, tx.now, note),
    )
    application.claimed_by = by.subject


async def request_revision(
    tx: PermitsTransaction, *, application: Application, by: Principal, note: str
) -> None:
    _ensure_claimed_by(application, by)
    await transitions.take(
        tx,
        application=application,
        step=Step.by(by, Action.REQUEST_REVISION, Actor.OFFICER, tx.now, note),
    )
    await tx.outbox.add(
        tx.session,
        RevisionRequested(
            application_id=application.id,
            applicant_id=application.applicant_id,
            permit_type=application.permit_type,
            note=note,
            requested_at=tx.now,
        ),
        subject=str(application.id),
    )


async def approve(
    tx: PermitsTransaction, *, application: Application, by: Principal, note: str | None
) -> None:
    _ensure_claimed_by(application, by)
    definition = await transitions.take(
        tx,
        application=application,
        step=Step.by(by, Action.APPROVE, Actor.OFFICER, tx.now, note),
    )
    await conclude_approval(tx, application=application, definition=definition, deemed=False)


async def reject(
    tx: PermitsTransaction, *, application: Application, by: Principal, reason: str
) -> None:
    _ensure_claimed_by(application, by)
    await transitions.take(
        tx,
        application=application,
        step=Step.by(by, Action.REJECT, Actor.OFFICER, tx.now, reason),
    )
    application.decided_at = tx.now
    await tx.outbox.add(
        tx.session,
        ApplicationRejected(
            application_id=application.id,
            applicant_id=application.applicant_id,
            permit_type=application.permit_type,
            reason=reason,
            rejected_at=tx.now,
        ),
        subject=str(application.id),
    )
