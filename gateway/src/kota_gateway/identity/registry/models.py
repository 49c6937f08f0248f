"""The audit of every call to the civil registry, and the count of each day's calls."""

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kota_gateway.db import Base


class RegistryCall(Base):
    """One call to the registry: who asked, for which NIK or card, why, when, what came of
    it. Kept as the agency agreement requires; personal data, read by auditors only."""

    __tablename__ = "registry_calls"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    operation: Mapped[str] = mapped_column(String(16))
    """``verify``, ``person`` or ``family_card``."""
    purpose: Mapped[str] = mapped_column(String(32))
    asked_by: Mapped[str] = mapped_column(String(64), index=True)
    acting_officer: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64))
    nik: Mapped[str | None] = mapped_column(String(16), index=True)
    family_card_number: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(24))
    """``match``, ``no_match``, ``found``, ``not_found``, ``unavailable`` or
    ``quota_exhausted``."""
    duration_ms: Mapped[int] = mapped_column(Integer)


class RegistryQuotaDay(Base):
    """Calls made on one city day, counted before each call (`audit.AuditedRegistry`)."""

    __tablename__ = "registry_quota_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    used: Mapped[int] = mapped_column(Integer)
