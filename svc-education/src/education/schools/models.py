"""The school record."""

import enum
import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, Enum, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column

from education.models import Base


class SchoolLevel(enum.StrEnum):
    SD = "SD"
    """Primary (sekolah dasar)."""
    SMP = "SMP"
    """Junior high (sekolah menengah pertama)."""
    SMA = "SMA"
    """Senior high (sekolah menengah atas)."""


class School(Base):
    __tablename__ = "schools"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    npsn: Mapped[str] = mapped_column(String(8), unique=True)
    """The national school number (8 digits): the natural key."""
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[SchoolLevel] = mapped_column(
        Enum(
            SchoolLevel,
            native_enum=False,
            length=32,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    district_code: Mapped[str] = mapped_column(String(6))
    """Kecamatan code (6 digits)."""
    # Exact decimals, 6 places (about 0.1 m): admission ranks applicants by distance to here.
    latitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
