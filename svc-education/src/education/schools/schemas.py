"""What clients receive about schools."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, computed_field

from education.admission.pathways import published_quotas
from kota_contracts.education import Pathway, SchoolLevel


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
    capacity: int = Field(description="Places for new pupils this admission year.")
    created_at: datetime

    @computed_field(  # type: ignore[prop-decorator]
        description="The places per pathway, from the capacity and the regulation's shares "
        "(null for a school too small to honour every share in whole places)."
    )
    @property
    def quotas(self) -> dict[Pathway, int] | None:
        return published_quotas(self.level, self.capacity)
