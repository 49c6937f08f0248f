"""The permits service's transaction: the shared one plus the working calendar that times
service levels, the city code printed in permit numbers, how many drafts an account may
hold, and where a permit is verified."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from kota_shared.transaction import CurrentTransaction, Transaction
from permits.calendar import WorkingCalendar
from permits.issuance.verification import VerificationLinks


@dataclass(frozen=True, kw_only=True)
class PermitsTransaction(Transaction):
    calendar: WorkingCalendar
    """Working days in the city's zone: every stage deadline is counted in them."""
    city_code: str
    """The city's BPS code, part of every permit number."""
    max_open_drafts: int
    """How many applications one account may hold in draft at once (``PERMITS_MAX_OPEN_DRAFTS``)."""
    verification: VerificationLinks
    """The public verification link of a permit, told to its holder when it is issued."""


def _build(request: Request, base: CurrentTransaction) -> PermitsTransaction:
    settings = request.app.state.runtime.settings
    return PermitsTransaction.extending(
        base,
        calendar=request.app.state.calendar,
        city_code=settings.city_code,
        max_open_drafts=settings.max_open_drafts,
        verification=request.app.state.verification_links,
    )


PermitsTx = Annotated[PermitsTransaction, Depends(_build)]
"""The request's transaction with the calendar, the city code, the draft limit and the
verification links."""
