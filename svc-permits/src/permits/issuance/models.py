"""Issued permits and the counters that number them without gaps."""

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from permits.db import Base


class Permit(Base):
    __tablename__ = "permits"
    __table_args__ = (UniqueConstraint("permit_type", "year", "sequence"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), unique=True)
    """One permit per application, whatever happens twice."""
    applicant_id: Mapped[str] = mapped_column(String(64), index=True)
    permit_type: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    holder_name: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[date | None] = mapped_column(Date)
    """Last day of validity; none for permits that do not expire."""
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    revocation_reason: Mapped[str | None] = mapped_column(Text)


class PermitNumberCounter(Base):
    """The last number given per type and year.

    Incremented inside the issuing transaction: the row lock serialises concurrent
    issuances, and a rolled-back issuance rolls its number back, so numbers have no gaps.
    """

    __tablename__ = "permit_number_counters"

    permit_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer)
