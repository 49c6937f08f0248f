"""The permits service's transaction: the shared one plus the working calendar that times
service levels and the city code printed in permit numbers."""

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


def _build(request: Request, base: CurrentTransaction) -> PermitsTransaction:
    return PermitsTransaction.extending(
        base,
        calendar=request.app.state.calendar,
        city_code=request.app.state.runtime.settings.city_code,
    )


PermitsTx = Annotated[PermitsTransaction, Depends(_build)]
"""The request's transaction with the calendar and the city code."""
