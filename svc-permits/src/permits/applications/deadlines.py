"""The service-level clock: applications whose stage passed its deadline undecided get
their type's policy — *fiktif positif* (deemed approved) or escalation — and an event.

`sweep` is one pass at the clock's "now", so tests move time instead of waiting for it;
the service runs it periodically (see ``main``).
"""

import logging

from kota_contracts.permits import DeadlinePassed
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_shared.clock import Clock
from kota_shared.events.outbox import Outbox
from permits.applications import repository, transitions
from permits.applications.context import Workflow
from permits.applications.decisions import conclude_approval
from permits.applications.models import Application
from permits.applications.transitions import Step
from permits.applications.workflow import Action
from permits.calendar import WorkingCalendar
from permits.catalogue import repository as catalogue
from permits.catalogue.service_levels import DeadlinePolicy

_log = logging.getLogger(__name__)
BATCH = 100


async def _handle(flow: Workflow, application: Application) -> None:
    definition = await catalogue.definition_of(flow.session, application.permit_type)
    assert application.stage is not None
    assert application.stage_deadline_at is not None
    stage, deadline = application.stage, application.stage_deadline_at
    application.deadline_passed_at = flow.now
    await flow.outbox.add(
        flow.session,
        DeadlinePassed(
            application_id=application.id,
            permit_type=application.permit_type,
            stage=stage.value,
            deadline_at=deadline,
            policy=definition.deadline_policy.value,
            detected_at=flow.now,
        ),
        subject=str(application.id),
    )
    if definition.deadline_policy is DeadlinePolicy.AUTO_APPROVE:
        note = f"Deemed approved: the {stage.value} stage passed its deadline (fiktif positif)."
        transitions.apply(
            flow.session,
            application,
            Step.by_system(Action.DEEM_APPROVED, flow.now, note),
            calendar=flow.calendar,
            targets=definition.stage_targets,
        )
        await conclude_approval(flow, application, definition, deemed=True)
    else:
        application.escalated_at = flow.now


async def sweep(
    sessionmaker: async_sessionmaker[AsyncSession],
    outbox: Outbox,
    *,
    calendar: WorkingCalendar,
    city_code: str,
    clock: Clock,
) -> int:
    """Handle every overdue application, one transaction per batch; returns how many."""
    handled = 0
    while True:
        async with sessionmaker() as session, session.begin():
            flow = Workflow(
                session=session, outbox=outbox, calendar=calendar, city_code=city_code, now=clock()
            )
            overdue = await repository.overdue(session=session, now=flow.now, limit=BATCH)
            for application in overdue:
                application_id = application.id  # readable after a rolled-back savepoint
                try:
                    async with session.begin_nested():
                        await _handle(flow, application)
                except Exception:
                    # One application that cannot be handled must not hold back the rest,
                    # nor come back every tick: officers get it as escalated.
                    _log.exception("deadline of %s not handled; escalated", application_id)
                    await repository.mark_escalated(
                        session=session, application_id=application_id, at=flow.now
                    )
        handled += len(overdue)
        if len(overdue) < BATCH:
            return handled
