"""What the API says about issued permits: in full to their holder and officers, masked to
the public."""

import uuid
from datetime import date, datetime
from typing import Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from kota_shared.clock import local_date
from permits.catalogue.definition import PermitTypeDefinition
from permits.issuance.certificate import mask_name
from permits.issuance.models import Permit
from permits.issuance.validity import Validity, validity


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

    @classmethod
    def of(
        cls, permit: Permit, *, today: date, verification_code: str, verification_url: str
    ) -> Self:
        """The permit in full, as its holder and officers see it on the city's ``today``."""
        return cls(
            id=permit.id,
            application_id=permit.application_id,
            permit_type=permit.permit_type,
            number=permit.number,
            holder_name=permit.holder_name,
            issued_at=permit.issued_at,
            valid_until=permit.valid_until,
            validity=validity(permit, today),
            revoked_at=permit.revoked_at,
            revocation_reason=permit.revocation_reason,
            verification_code=verification_code,
            verification_url=verification_url,
        )


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

    @classmethod
    def of(
        cls,
        permit: Permit,
        *,
        definition: PermitTypeDefinition,
        today: date,
        timezone: ZoneInfo,
    ) -> Self:
        """The permit as the public sees it, its dates in the city's ``timezone``."""
        return cls(
            validity=validity(permit, today),
            number=permit.number,
            permit_type=permit.permit_type,
            permit_type_name_id=definition.name_id,
            permit_type_name_en=definition.name_en,
            holder_name=mask_name(permit.holder_name),
            issued_on=local_date(permit.issued_at, timezone),
            valid_until=permit.valid_until,
            revoked_on=local_date(permit.revoked_at, timezone) if permit.revoked_at else None,
        )


class RevocationRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason": "Bangunan dialihfungsikan menjadi gudang tanpa persetujuan "
                    "perubahan PBG (hasil inspeksi lapangan Dinas Perkim, 12 Maret 2026)."
                }
            ]
        }
    )

    reason: str = Field(min_length=3, max_length=2000)
