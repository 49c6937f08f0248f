"""The health service's transaction: the shared one plus the city's booking rules (how far
ahead, from what hour, how many at once)."""

from dataclasses import dataclass
from datetime import time
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

from health.config import HealthSettings
from kota_shared.transaction import CurrentTransaction, Transaction


@dataclass(frozen=True, kw_only=True)
class HealthTransaction(Transaction):
    horizon_days: int
    """How many days after ``today`` a visit may be booked (`HealthSettings`)."""
    booking_opens_at: time
    """The city-time hour at which a day opens, ``horizon_days`` before it."""
    timezone: ZoneInfo
    """The city's time zone, which ``today`` and ``booking_opens_at`` are read in."""
    max_active_bookings: int
    """How many active bookings one citizen may hold at once."""


def _build(request: Request, base: CurrentTransaction) -> HealthTransaction:
    settings: HealthSettings = request.app.state.runtime.settings
    return HealthTransaction.extending(
        base,
        horizon_days=settings.booking_horizon_days,
        booking_opens_at=settings.booking_opens_at,
        timezone=settings.timezone,
        max_active_bookings=settings.max_active_bookings,
    )


HealthTx = Annotated[HealthTransaction, Depends(_build)]
"""The request's transaction, as every booking operation takes it first."""
