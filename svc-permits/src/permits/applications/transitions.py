"""Apply one workflow step to a stored application: the state machine's verdict, the
history row, and the service-level clock of the stage it enters."""

from dataclasses import dataclass
from datetime import datetime

from kota_contracts.permits import ClosedStage, OpenedStage, StepTaken
from kota_contracts.regions import dotted_kecamatan
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
    await apply(tx, application=application, step=step, targets=definition.stage_targets)
    return definition


async def apply(
    tx: PermitsTransaction, *, application: Application, step: Step, targets: StageTargets
) -> None:
    """Move ``application`` by ``step`` or raise a 409 naming its current state, and
    announce the step with the clocks it stopped and started (`StepTaken`).

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
    source = application.status
    closed = _closed_stage(application, step.at, tx.calendar)
    application.status = target
    opened = _start_stage_clock(
        application, workflow.stage_of(target), step.at, tx.calendar, targets
    )
    await tx.outbox.add(
        tx.session,
        StepTaken(
            application_id=application.id,
            permit_type=application.permit_type,
            kecamatan_code=(
                dotted_kecamatan(application.district_code) if application.district_code else None
            ),
            action=step.action.value,
            from_status=source.value,
            to_status=target.value,
            actor=step.actor.value,
            assisted_by=step.acting_officer_id,
            at=step.at,
            closed_stage=closed,
            opened_stage=opened,
        ),
        subject=str(application.id),
    )


def _closed_stage(
    application: Application, at: datetime, calendar: WorkingCalendar
) -> ClosedStage | None:
    """The running stage's clock, stopped at ``at`` (every step leaves the stage it is in)."""
    if application.stage is None or application.stage_deadline_at is None:
        return None
    started_at = application.stage_started_at or at
    return ClosedStage(
        stage=application.stage.value,
        started_at=started_at,
        due_at=application.stage_deadline_at,
        working_days=calendar.working_days_between(started_at, at),
    )


AT_RISK_SHARE = 0.8
"""How far into a stage's time an application is reported at risk of missing its deadline."""


def _start_stage_clock(
    application: Application,
    stage: Stage | None,
    at: datetime,
    calendar: WorkingCalendar,
    targets: StageTargets,
) -> OpenedStage | None:
    """Every entry into a stage starts its clock afresh; leaving all stages stops it."""
    application.stage = stage
    application.deadline_passed_at = None
    if stage is None:
        application.stage_started_at = application.stage_deadline_at = None
        return None
    due_at = calendar.deadline(at, getattr(targets, stage.value))
    application.stage_started_at, application.stage_deadline_at = at, due_at
    return OpenedStage(
        stage=stage.value,
        due_at=due_at,
        at_risk_at=at + (due_at - at) * AT_RISK_SHARE,
        aged_3_working_days_at=calendar.deadline(at, 3),
        aged_6_working_days_at=calendar.deadline(at, 6),
        aged_11_working_days_at=calendar.deadline(at, 11),
    )
