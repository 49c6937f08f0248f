"""Issuing and revoking permits; the request (or event) boundary commits."""

from kota_contracts.permits import PermitIssued, PermitIssuedV2, PermitRevoked
from kota_shared.auth import Principal
from kota_shared.transaction import Transaction
from permits.applications import repository as applications
from permits.applications import transitions
from permits.applications.models import Application
from permits.applications.transitions import Step
from permits.applications.workflow import Action, Actor
from permits.catalogue import repository as catalogue
from permits.catalogue.definition import PermitTypeDefinition
from permits.issuance import repository
from permits.issuance.certificate import format_permit_number
from permits.issuance.models import Permit
from permits.issuance.validity import valid_until
from permits.transaction import PermitsTransaction


async def issue(
    tx: PermitsTransaction, *, application: Application, definition: PermitTypeDefinition
) -> Permit:
    """Number and record the permit of an application that just reached ``issued``.

    The year in the number and the validity are the city's local dates.
    """
    issued_on = tx.today
    sequence = await repository.next_sequence(
        tx.session, permit_type=definition.code, year=issued_on.year
    )
    permit = Permit(
        application_id=application.id,
        applicant_id=application.applicant_id,
        permit_type=definition.code,
        year=issued_on.year,
        sequence=sequence,
        number=format_permit_number(definition.code, tx.city_code, issued_on.year, sequence),
        holder_name=application.holder_name or "",
        issued_at=tx.now,
        valid_until=valid_until(issued_on, definition.validity_months),
    )
    tx.session.add(permit)
    await tx.session.flush()
    issued = PermitIssued(
        permit_id=permit.id,
        application_id=application.id,
        applicant_id=application.applicant_id,
        permit_type=permit.permit_type,
        number=permit.number,
        issued_at=tx.now,
        valid_until=permit.valid_until,
    )
    await tx.outbox.add(tx.session, issued, subject=str(application.id))
    await tx.outbox.add(
        tx.session,
        PermitIssuedV2(
            **issued.model_dump(), verification_url=tx.verification.for_permit(permit.id)
        ),
        subject=str(application.id),
    )
    return permit


async def revoke(tx: PermitsTransaction, *, permit: Permit, by: Principal, reason: str) -> None:
    """Revoke an issued permit, and its application with it.

    The caller holds the permit's row lock (`AnyPermitForUpdate`); this locks its
    application next (the state machine decides whether it may be revoked), so two officers
    revoking at once cannot both record it.
    """
    application = await applications.get_any(
        tx.session, application_id=permit.application_id, for_update=True
    )
    assert application is not None  # a permit always has its application
    await transitions.take(
        tx,
        application=application,
        step=Step.by(by, Action.REVOKE, Actor.OFFICER, tx.now, reason),
    )
    permit.revoked_at = tx.now
    permit.revoked_by = by.subject
    permit.revocation_reason = reason
    await tx.outbox.add(
        tx.session,
        PermitRevoked(
            permit_id=permit.id,
            application_id=permit.application_id,
            permit_type=permit.permit_type,
            number=permit.number,
            reason=reason,
            revoked_at=tx.now,
        ),
        subject=str(permit.application_id),
    )


async def permit_type(tx: Transaction, *, permit: Permit) -> PermitTypeDefinition:
    """The permit's type as the catalogue defines it now (names may have changed since)."""
    return await catalogue.definition_of(tx.session, code=permit.permit_type)
