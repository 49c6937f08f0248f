"""What every workflow operation needs besides the application: one transaction's tools."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.events.outbox import Outbox
from permits.calendar import WorkingCalendar


@dataclass(frozen=True)
class Workflow:
    session: AsyncSession
    outbox: Outbox
    calendar: WorkingCalendar
    city_code: str
    now: datetime
