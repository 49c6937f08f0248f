"""What clients receive about facilities."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from health.facilities.models import FacilityKind


class FacilityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    kind: FacilityKind
    district_code: str
    address: str
    created_at: datetime
