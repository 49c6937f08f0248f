"""What clients send and receive about applications."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from permits.applications.models import ApplicationStatus


class ApplicationDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    permit_type: str = Field(
        pattern=r"^[A-Z][A-Z0-9_]{1,39}$",
        description="Code of the permit type from the catalogue, e.g. `PBG`.",
        examples=["PBG"],
    )
    district_code: str | None = Field(
        default=None,
        pattern=r"^\d{6}$",
        description="Kecamatan code (6 digits) where the permit applies.",
        examples=["367101"],
    )


class ApplicationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    permit_type: str
    district_code: str | None
    status: ApplicationStatus
    created_at: datetime
