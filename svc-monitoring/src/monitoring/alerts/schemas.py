"""An alert as officials read it."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict


class AlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event_id: uuid.UUID
    kind: str
    application_id: uuid.UUID
    permit_type: str
    kecamatan_code: str
    stage: str
    started_at: datetime
    due_at: datetime
    detected_at: datetime
