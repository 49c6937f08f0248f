"""The facility record."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import DateTime, Enum, String, func
from sqlalchemy.orm import Mapped, mapped_column

from health.models import Base


class FacilityKind(enum.StrEnum):
    PUSKESMAS = "puskesmas"
    HOSPITAL = "hospital"
    CLINIC = "clinic"


class Facility(Base):
    __tablename__ = "facilities"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    """The Ministry of Health's facility code (e.g. puskesmas ``P3671010101``): the natural key."""
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[FacilityKind] = mapped_column(
        Enum(
            FacilityKind,
            native_enum=False,
            length=32,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    district_code: Mapped[str] = mapped_column(String(6), index=True)
    """Kecamatan code (6 digits); citizens look for facilities near them by it."""
    address: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
