"""The suite's health as operators read it."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class _Row(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ServiceHealth(_Row):
    service: str
    ready: bool
    since: datetime = Field(description="When it last became ready, or not ready.")
    checked_at: datetime
    detail: str | None = Field(description="What a failing probe saw.")
    outbox_backlog: int | None = Field(description="Events committed, not yet published.")


class ConsumerGroupLag(_Row):
    consumer_group: str
    lag: int
    lagging_since: datetime | None = Field(description="Since when it is over the threshold.")
    checked_at: datetime


class DeadLetterTopic(_Row):
    topic: str
    written: int
    checked_at: datetime


class SystemHealth(BaseModel):
    services: list[ServiceHealth]
    consumer_groups: list[ConsumerGroupLag]
    dead_letter_topics: list[DeadLetterTopic]


class SystemAlertRead(_Row):
    event_id: uuid.UUID
    kind: str = Field(description="`service_not_ready`, `consumer_lagging`, `dead_letter_written`.")
    subject: str
    detail: str
    detected_at: datetime
