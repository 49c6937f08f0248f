"""Issuing and revoking permits, and what a permit's validity is today; the request (or
event) boundary commits."""

import calendar as month_calendar
import uuid
from datetime import date

from kota_contracts.permits import PermitIssued, PermitRevoked

from kota_shared.auth import Principal
from kota_shared.clock import local_date
from kota_shared.problems import NotFound
from permits.applications import repository as applications
from permits.applications import transitions
from permits.applications.context import Workflow
from permits.applications.models import Application
from permits.applications.transitions import Step
from permits.applications.workflow import Action, Actor
from permits.catalogue.definition import PermitTypeDefinition
from permits.issuance import repository
from permits.issuance.certificate import format_permit_number
from permits.issuance.models import Permit
from permits.issuance.numbering import next_sequence
from permits.issuance.schemas import Validity


def valid_until(issued_on: date, months: int | None) -> date | None:
    """The last day of validity: the day before the same date ``months`` later.

    A permit issued on 31 January for one month is valid through 28 (or 29) February.
    """
    if months is None:
        return None
    month_index = issued_on.month - 1 + months
    year, month = issued_on.year + month_index // 12, month_index % 12 + 1
    day = min(issued_on.day, month_calendar.monthrange(year, month)[1])
    return date.fromordinal(date(year, month, day).toordinal() - 1)


def validity(flow: Workflow, permit: Permit) -> Validity:
    """Revoked, expired or valid on the city's date at ``flow.now``."""
    if permit.revoked_at is not None:
        return Validity.REVOKED
    today = local_date(flow.now, flow.calendar.timezone)
    if permit.valid_until is not None and permit.valid_until < today:
        return Validity.EXPIRED
    return Validity.VALID


async def issue(
    flow: Workflow, *, application: Application, definition: PermitTypeDefinition
) -> Permit:
    """Number and record the permit of an application that just reached ``issued``.

    The year in the number and the validity are the city's local dates.
    """
    at = flow.now
    issued_on = local_date(at, flow.calendar.timezone)
    sequence = await next_sequence(flow.session, permit_type=definition.code, year=issued_on.year)
    permit = Permit(
        application_id=application.id,
        applicant_id=application.applicant_id,
        permit_type=definition.code,
        year=issued_on.year,
        sequence=sequence,
        number=format_permit_number(definition.code, flow.city_code, issued_on.year, sequence),
        holder_name=application.holder_name or "",
        issued_at=at,
        valid_until=valid_until(issued_on, definition.validity_months),
    )
    flow.session.add(permit)
    await flow.session.flush()
    await flow.outbox.add(
        flow.session,
        PermitIssued(
            permit_id=permit.id,
            application_id=application.id,
            applicant_id=application.applicant_id,
            permit_type=permit.permit_type,
            number=permit.number,
            issued_at=at,
            valid_until=permit.valid_until,
        ),
        subject=str(application.id),
    )
    return permit


async def revoke(
    flow: Workflow, *, permit_id: uuid.UUID, officer: Principal, reason: str
) -> Permit:
    """Revoke an issued permit, and its application with it; 404 if there is no such permit.

    Locks the permit, then its application (the state machine decides whether it may be
    revoked), so two officers revoking at once cannot both record it.
    """
    permit = await repository.get(flow.session, permit_id, for_update=True)
    if permit is None:
        raise NotFound("There is no permit with this id.")
    application = await applications.get_any(
        session=flow.session, application_id=permit.application_id, for_update=True
    )
    assert application is not None  # a permit always has its application
    await transitions.take(
        flow, application, Step.by(officer, Action.REVOKE, Actor.OFFICER, flow.now, reason)
    )
    permit.revoked_at = flow.now
    permit.revoked_by = officer.subject
    permit.revocation_reason = reason
    await flow.outbox.add(
        flow.session,
        PermitRevoked(
            permit_id=permit.id,
            application_id=permit.application_id,
            permit_type=permit.permit_type,
            number=permit.number,
            reason=reason,
            revoked_at=flow.now,
        ),
        subject=str(permit.application_id),
    )
    return permit
