"""The facility record, and the polyclinic services (poli) a facility offers."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from health.db import Base
from kota_shared.db import value_enum


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
    kind: Mapped[FacilityKind] = mapped_column(value_enum(FacilityKind))
    district_code: Mapped[str] = mapped_column(String(6), index=True)
    """Kecamatan code (6 digits); citizens look for facilities near them by it."""
    address: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ClinicService(Base):
    """One polyclinic service of a facility (Poli Umum, Poli Gigi, KIA ...), bookable by day.

    Keyed by facility and code, the words citizens and officers use (``umum``, ``gigi``):
    a booking names its service that way, and the code prefixes the queue number.
    """

    __tablename__ = "clinic_services"
    __table_args__ = (
        CheckConstraint("daily_quota > 0", name="daily_quota_positive"),
        CheckConstraint(
            "cardinality(open_weekdays) > 0 AND open_weekdays <@ ARRAY[1,2,3,4,5,6,7]::smallint[]",
            name="open_weekdays_valid",
        ),
    )

    facility_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    daily_quota: Mapped[int] = mapped_column(Integer)
    """How many citizens may book one day (cancelled bookings free their place)."""
    open_weekdays: Mapped[list[int]] = mapped_column(ARRAY(SmallInteger))
    """ISO weekdays the service runs: 1 is Monday, 7 is Sunday."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    facility: Mapped[Facility] = relationship(lazy="raise")
