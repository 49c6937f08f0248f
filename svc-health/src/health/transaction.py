"""The health service's transaction: the shared one plus how far ahead visits may be booked."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from health.config import HealthSettings
from kota_shared.transaction import CurrentTransaction, Transaction


@dataclass(frozen=True, kw_only=True)
class HealthTransaction(Transaction):
    horizon_days: int
    """How many days after ``today`` a visit may be booked (`HealthSettings`)."""


def _build(request: Request, base: CurrentTransaction) -> HealthTransaction:
    settings: HealthSettings = request.app.state.runtime.settings
    return HealthTransaction.extending(base, horizon_days=settings.booking_horizon_days)


HealthTx = Annotated[HealthTransaction, Depends(_build)]
"""The request's transaction, as every booking operation takes it first."""
