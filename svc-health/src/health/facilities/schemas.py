"""What clients receive about facilities and their services."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from health.facilities.models import FacilityKind

SERVICE_CODE_PATTERN = r"^[a-z][a-z0-9_]{1,19}$"
"""A service's code as facilities name it: ``umum``, ``gigi``, ``kia``."""


class FacilityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    kind: FacilityKind
    district_code: str
    address: str
    created_at: datetime


class ClinicServiceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    facility_id: uuid.UUID
    code: str = Field(examples=["umum"])
    name: str = Field(examples=["Poli Umum"])
    daily_quota: int = Field(description="How many citizens may book one day.")
    open_weekdays: list[int] = Field(
        description="ISO weekdays the service runs: 1 is Monday, 7 is Sunday.",
        examples=[[1, 2, 3, 4, 5, 6]],
    )
