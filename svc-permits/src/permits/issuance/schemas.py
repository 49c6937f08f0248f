"""What the API says about issued permits: in full to their holder and officers, masked to
the public."""

import enum
import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field


class Validity(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


class PermitRead(BaseModel):
    id: uuid.UUID
    application_id: uuid.UUID
    permit_type: str
    number: str = Field(examples=["PBG/3671/2026/000123"])
    holder_name: str
    issued_at: datetime
    valid_until: date | None
    validity: Validity
    revoked_at: datetime | None
    revocation_reason: str | None
    verification_code: str
    verification_url: str = Field(description="What the permit's QR code encodes.")


class PublicVerification(BaseModel):
    """What anyone holding the paper may learn: enough to trust it, not to profile its holder."""

    validity: Validity
    number: str
    permit_type: str
    permit_type_name_id: str
    permit_type_name_en: str
    holder_name: str = Field(
        description="Masked: first letter of each word.", examples=["B*** S******"]
    )
    issued_on: date
    valid_until: date | None
    revoked_on: date | None


class RevocationRequest(BaseModel):
    reason: str = Field(min_length=3, max_length=2000)
