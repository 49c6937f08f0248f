"""The registration desk: what every registration operation needs, for one transaction."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from education.admission.period import AdmissionPeriod
from education.dependencies import Period
from kota_shared.clock import Now
from kota_shared.db import DbSession
from kota_shared.events.outbox import Outbox
from kota_shared.transaction import EventOutbox


@dataclass(frozen=True)
class Desk:
    session: AsyncSession
    outbox: Outbox
    period: AdmissionPeriod
    now: datetime

    @property
    def today(self) -> date:
        """The city's local date now: registration dates and the family card rule use it."""
        return self.period.local_date(self.now)


def _desk(session: DbSession, outbox: EventOutbox, period: Period, now: Now) -> Desk:
    return Desk(session=session, outbox=outbox, period=period, now=now)


RegistrationDesk = Annotated[Desk, Depends(_desk)]
