"""What follows an approval, whoever approved: the fee, then an invoice or the permit."""

from kota_contracts.permits import ApplicationApproved
from permits.applications import transitions
from permits.applications.models import Application
from permits.applications.transitions import Step
from permits.applications.workflow import Action
from permits.catalogue.definition import PermitTypeDefinition
from permits.catalogue.fees import FeeInputError, assess_fee
from permits.issuance import service as issuance
from permits.messages import _
from permits.problems import FeeNeedsAnswers
from permits.transaction import PermitsTransaction


async def conclude_approval(
    tx: PermitsTransaction,
    *,
    application: Application,
    definition: PermitTypeDefinition,
    deemed: bool,
) -> None:
    """Assess the fee and announce the approval; a free permit is issued at once.

    With a fee the application waits for payment: payments opens the invoice from the
    approval event and reports back when it is paid. A fee rule changed since submission
    may read answers the application lacks: `FeeNeedsAnswers`, and nothing is decided (a
    deemed approval is escalated to the officers instead, see `deadlines`).
    """
    try:
        fee = assess_fee(definition.fee_rule, application.fields)
    except FeeInputError as refused:
        raise FeeNeedsAnswers(
            _(
                "The permit type's fee now depends on answers this application does not "
                "have: send it back for revision so the applicant can add them."
            ),
            errors=[
                {"field": f"fields.{name}", "message": message} for name, message in refused.errors
            ],
        ) from None
    application.fee_amount = fee
    application.decided_at = tx.now
    await tx.outbox.add(
        tx.session,
        ApplicationApproved(
            application_id=application.id,
            applicant_id=application.applicant_id,
            permit_type=application.permit_type,
            permit_type_name=definition.name_id,
            district_code=application.district_code,
            fee_amount=fee,
            deemed=deemed,
            approved_at=tx.now,
        ),
        subject=str(application.id),
    )
    next_action = Action.REQUEST_PAYMENT if fee > 0 else Action.ISSUE
    await transitions.apply(
        tx,
        application=application,
        step=Step.by_system(next_action, tx.now),
        targets=definition.stage_targets,
    )
    if next_action is Action.ISSUE:
        await issuance.issue(tx, application=application, definition=definition)
