"""What clients receive about schools."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from education.schools.models import SchoolLevel


class SchoolRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    npsn: str
    name: str
    level: SchoolLevel
    district_code: str
    # JSON numbers for maps; the database keeps them as exact 6-place decimals.
    latitude: float
    longitude: float
    created_at: datetime
