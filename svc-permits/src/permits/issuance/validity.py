"""How long a permit is valid, and whether it is valid on a given day of the city."""

import calendar as month_calendar
import enum
from datetime import date

from permits.issuance.models import Permit


class Validity(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


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


def validity(permit: Permit, today: date) -> Validity:
    """Revoked, expired or valid on ``today``, the city's date."""
    if permit.revoked_at is not None:
        return Validity.REVOKED
    if permit.valid_until is not None and permit.valid_until < today:
        return Validity.EXPIRED
    return Validity.VALID
