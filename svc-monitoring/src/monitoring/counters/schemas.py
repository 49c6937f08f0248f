"""What officials read about event volumes."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class EventCountRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event_type: str
    count: int
    last_event_at: datetime | None
