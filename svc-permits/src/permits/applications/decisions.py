"""What follows an approval, whoever approved: the fee, then an invoice or the permit."""

from kota_contracts.permits import ApplicationApproved

from permits.applications import transitions
from permits.applications.context import Workflow
from permits.applications.models import Application
from permits.applications.transitions import Step
from permits.applications.workflow import Action
from permits.catalogue.definition import PermitTypeDefinition
from permits.catalogue.fees import assess_fee
from permits.issuance import service as issuance


async def conclude_approval(
    flow: Workflow,
    application: Application,
    definition: PermitTypeDefinition,
    *,
    deemed: bool,
) -> None:
    """Assess the fee and announce the approval; a free permit is issued at once.

    With a fee the application waits for payment: payments opens the invoice from the
    approval event and reports back when it is paid.
    """
    fee = assess_fee(definition.fee_rule, application.fields)
    application.fee_amount = fee
    application.decided_at = flow.now
    await flow.outbox.add(
        flow.session,
        ApplicationApproved(
            application_id=application.id,
            applicant_id=application.applicant_id,
            permit_type=application.permit_type,
            permit_type_name=definition.name_id,
            district_code=application.district_code,
            fee_amount=fee,
            deemed=deemed,
            approved_at=flow.now,
        ),
        subject=str(application.id),
    )
    next_action = Action.REQUEST_PAYMENT if fee > 0 else Action.ISSUE
    transitions.apply(
        flow.session,
        application,
        Step.by_system(next_action, flow.now),
        calendar=flow.calendar,
        targets=definition.stage_targets,
    )
    if next_action is Action.ISSUE:
        await issue_permit(flow, application, definition)


async def issue_permit(
    flow: Workflow, application: Application, definition: PermitTypeDefinition
) -> None:
    """Number and record the permit of an application that has just reached ``issued``."""
    await issuance.issue(flow, application=application, definition=definition)
