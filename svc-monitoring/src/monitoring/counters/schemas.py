"""What officials read about event volumes."""

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict

from kota_shared.auth import Principal
from monitoring.counters.models import EventCount


class EventCountRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event_type: str
    count: int
    last_event_at: datetime | None

    @classmethod
    def of(cls, counter: EventCount, caller: Principal) -> Self:
        """Counts are aggregates, so every viewer may see all of them."""
        return cls.model_validate(counter)
