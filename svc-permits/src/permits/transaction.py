"""The permits service's transaction: the shared one plus the working calendar that times
service levels, the city code printed in permit numbers, and how many drafts an account may
hold."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from kota_shared.transaction import CurrentTransaction, Transaction
from permits.calendar import WorkingCalendar


@dataclass(frozen=True, kw_only=True)
class PermitsTransaction(Transaction):
    calendar: WorkingCalendar
    """Working days in the city's zone: every stage deadline is counted in them."""
    city_code: str
    """The city's BPS code, part of every permit number."""
    max_open_drafts: int
    """How many applications one account may hold in draft at once (``PERMITS_MAX_OPEN_DRAFTS``)."""


def _build(request: Request, base: CurrentTransaction) -> PermitsTransaction:
    settings = request.app.state.runtime.settings
    return PermitsTransaction.extending(
        base,
        calendar=request.app.state.calendar,
        city_code=settings.city_code,
        max_open_drafts=settings.max_open_drafts,
    )


PermitsTx = Annotated[PermitsTransaction, Depends(_build)]
"""The request's transaction with the calendar, the city code and the draft limit."""
