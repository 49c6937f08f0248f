"""Events the permits service publishes on ``permits.events`` (typed, versioned)."""

import uuid
from datetime import datetime
from typing import ClassVar

from kota_shared.events.envelope import EventData

TOPIC = "permits.events"


class ApplicationDrafted(EventData):
    """A citizen (or an officer for them) started an application."""

    event_type: ClassVar[str] = "permits.application.drafted.v1"
    topic: ClassVar[str] = TOPIC

    application_id: uuid.UUID
    permit_type: str
    district_code: str | None
    drafted_at: datetime
