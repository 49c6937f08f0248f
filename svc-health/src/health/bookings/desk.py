"""The registration desk (loket pendaftaran) of one request: what every booking operation
needs besides the booking, as a FastAPI dependency."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.clock import Now, local_date
from kota_shared.db import DbSession
from kota_shared.events.outbox import Outbox
from kota_shared.transaction import EventOutbox


@dataclass(frozen=True)
class BookingDesk:
    session: AsyncSession
    """The request's transaction: committed once when the endpoint returns."""
    outbox: Outbox
    now: datetime
    today: date
    """The city's date at ``now``, which visit dates are compared with."""
    horizon_days: int


def _desk(request: Request, session: DbSession, outbox: EventOutbox, now: Now) -> BookingDesk:
    settings = request.app.state.runtime.settings
    return BookingDesk(
        session=session,
        outbox=outbox,
        now=now,
        today=local_date(now, settings.timezone),
        horizon_days=settings.booking_horizon_days,
    )


Desk = Annotated[BookingDesk, Depends(_desk)]
