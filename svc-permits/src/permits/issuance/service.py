"""Issuing and revoking permits; the request (or event) boundary commits."""

import calendar as month_calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.contracts.permits import PermitIssued, PermitRevoked
from kota_shared.events.outbox import Outbox
from permits.applications.models import Application
from permits.catalogue.rules import PermitTypeDefinition
from permits.issuance.certificate import format_permit_number
from permits.issuance.models import Permit
from permits.issuance.numbering import next_sequence


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


async def issue(
    session: AsyncSession,
    outbox: Outbox,
    *,
    application: Application,
    definition: PermitTypeDefinition,
    city_code: str,
    at: datetime,
    timezone: ZoneInfo,
) -> Permit:
    """Number and record the permit of an application that just reached ``issued``.

    The year in the number and the validity are the city's local dates.
    """
    issued_on = at.astimezone(timezone).date()
    sequence = await next_sequence(session, permit_type=definition.code, year=issued_on.year)
    permit = Permit(
        application_id=application.id,
        applicant_id=application.applicant_id,
        permit_type=definition.code,
        year=issued_on.year,
        sequence=sequence,
        number=format_permit_number(definition.code, city_code, issued_on.year, sequence),
        holder_name=application.holder_name or "",
        issued_at=at,
        valid_until=valid_until(issued_on, definition.validity_months),
    )
    session.add(permit)
    await session.flush()
    await outbox.add(
        session,
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
    session: AsyncSession, outbox: Outbox, *, permit: Permit, by: str, reason: str, at: datetime
) -> None:
    permit.revoked_at = at
    permit.revoked_by = by
    permit.revocation_reason = reason
    await outbox.add(
        session,
        PermitRevoked(
            permit_id=permit.id,
            application_id=permit.application_id,
            permit_type=permit.permit_type,
            number=permit.number,
            reason=reason,
            revoked_at=at,
        ),
        subject=str(permit.application_id),
    )
