"""The school record."""

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, Integer, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column

from education.db import Base
from kota_contracts.education import SchoolLevel
from kota_shared.db import value_enum


class School(Base):
    __tablename__ = "schools"
    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity_not_negative"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    npsn: Mapped[str] = mapped_column(String(8), unique=True)
    """The national school number (8 digits): the natural key."""
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[SchoolLevel] = mapped_column(value_enum(SchoolLevel))
    district_code: Mapped[str] = mapped_column(String(6))
    """Kecamatan code (6 digits)."""
    # Exact decimals, 6 places (about 0.1 m): admission ranks applicants by distance to here.
    latitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    capacity: Mapped[int] = mapped_column(Integer)
    """Places for new pupils in the entry grade (daya tampung: classes times class size) this
    admission year; the pathways' quotas are shares of it."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
