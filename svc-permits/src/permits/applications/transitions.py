"""Apply one workflow step to a stored application: the state machine's verdict, the
history row, and the service-level clock of the stage it enters."""

from dataclasses import dataclass
from datetime import datetime

from kota_shared.auth import Principal
from kota_shared.problems import Forbidden
from permits.applications import workflow
from permits.applications.models import Application, Transition
from permits.applications.workflow import Action, Actor, Stage
from permits.calendar import WorkingCalendar
from permits.catalogue import repository as catalogue
from permits.catalogue.definition import PermitTypeDefinition
from permits.catalogue.service_levels import StageTargets
from permits.problems import IllegalTransition
from permits.transaction import PermitsTransaction

SYSTEM = "system"


@dataclass(frozen=True)
class Step:
    action: Action
    actor: Actor
    actor_id: str
    at: datetime
    note: str | None = None
    acting_officer_id: str | None = None

    @classmethod
    def by(
        cls, principal: Principal, action: Action, actor: Actor, at: datetime, note: str | None
    ) -> "Step":
        return cls(
            action=action,
            actor=actor,
            actor_id=principal.subject,
            acting_officer_id=principal.acting_officer,
            at=at,
            note=note,
        )

    @classmethod
    def by_system(cls, action: Action, at: datetime, note: str | None = None) -> "Step":
        return cls(action=action, actor=Actor.SYSTEM, actor_id=SYSTEM, at=at, note=note)


async def take(
    tx: PermitsTransaction, *, application: Application, step: Step
) -> PermitTypeDefinition:
    """Apply ``step`` with the stage targets of the application's type; returns that type."""
    definition = await catalogue.definition_of(tx.session, code=application.permit_type)
    apply(tx, application=application, step=step, targets=definition.stage_targets)
    return definition


def apply(
    tx: PermitsTransaction, *, application: Application, step: Step, targets: StageTargets
) -> None:
    """Move ``application`` by ``step`` or raise a 409 naming its current state.

    The caller must hold the application's row lock (see the repository's ``for_update``),
    so two officers acting at once cannot both move it.
    """
    try:
        target = workflow.next_status(application.status, step.action, step.actor)
    except workflow.IllegalTransition as exc:
        raise IllegalTransition(
            exc.message,
            current_status=application.status.value,
            action=step.action.value,
        ) from None
    except workflow.ActorNotAllowed as exc:
        raise Forbidden(exc.message) from None
    tx.session.add(
        Transition(
            application_id=application.id,
            action=step.action,
            from_status=application.status,
            to_status=target,
            actor=step.actor,
            actor_id=step.actor_id,
            acting_officer_id=step.acting_officer_id,
            note=step.note,
            at=step.at,
        )
    )
    application.status = target
    _start_stage_clock(application, workflow.stage_of(target), step.at, tx.calendar, targets)


def _start_stage_clock(
    application: Application,
    stage: Stage | None,
    at: datetime,
    calendar: WorkingCalendar,
    targets: StageTargets,
) -> None:
    """Every entry into a stage starts its clock afresh; leaving all stages stops it."""
    application.stage = stage
    application.deadline_passed_at = None
    application.stage_deadline_at = (
        calendar.deadline(at, getattr(targets, stage.value)) if stage is not None else None
    )
