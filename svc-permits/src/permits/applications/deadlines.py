"""The service-level clock: applications whose stage passed its deadline undecided get
their type's policy — *fiktif positif* (deemed approved) or escalation — and an event.

`sweep` is one pass at the "now" of the transactions it is given, so tests move time
instead of waiting for it; the service runs it periodically (see ``main``).
"""

import logging
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_contracts.permits import DeadlinePassed
from permits.applications import repository, transitions
from permits.applications.decisions import conclude_approval
from permits.applications.models import Application
from permits.applications.transitions import Step
from permits.applications.workflow import Action
from permits.catalogue import repository as catalogue
from permits.catalogue.service_levels import DeadlinePolicy
from permits.transaction import PermitsTransaction

_log = logging.getLogger(__name__)
BATCH = 100


async def _handle(tx: PermitsTransaction, *, application: Application) -> None:
    definition = await catalogue.definition_of(tx.session, code=application.permit_type)
    assert application.stage is not None
    assert application.stage_deadline_at is not None
    stage, deadline = application.stage, application.stage_deadline_at
    application.deadline_passed_at = tx.now
    await tx.outbox.add(
        tx.session,
        DeadlinePassed(
            application_id=application.id,
            permit_type=application.permit_type,
            stage=stage.value,
            deadline_at=deadline,
            policy=definition.deadline_policy.value,
            detected_at=tx.now,
        ),
        subject=str(application.id),
    )
    if definition.deadline_policy is DeadlinePolicy.AUTO_APPROVE:
        note = f"Deemed approved: the {stage.value} stage passed its deadline (fiktif positif)."
        await transitions.apply(
            tx,
            application=application,
            step=Step.by_system(Action.DEEM_APPROVED, tx.now, note),
            targets=definition.stage_targets,
        )
        await conclude_approval(tx, application=application, definition=definition, deemed=True)
    else:
        application.escalated_at = tx.now


async def sweep(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    context: Callable[[AsyncSession], PermitsTransaction],
) -> int:
    """Handle every overdue application, one transaction per batch; returns how many.

    ``context`` makes each batch's transaction from its session, as a consumer's does, and
    so decides the batch's "now".
    """
    handled = 0
    while True:
        async with sessionmaker() as session, session.begin():
            tx = context(session)
            overdue = await repository.overdue(session, now=tx.now, limit=BATCH)
            for application in overdue:
                application_id = application.id  # readable after a rolled-back savepoint
                try:
                    async with session.begin_nested():
                        await _handle(tx, application=application)
                except Exception:
                    # One application that cannot be handled must not hold back the rest,
                    # nor come back every tick: officers get it as escalated.
                    _log.exception("deadline of %s not handled; escalated", application_id)
                    await repository.mark_escalated(
                        session, application_id=application_id, at=tx.now
                    )
        handled += len(overdue)
        if len(overdue) < BATCH:
            return handled
