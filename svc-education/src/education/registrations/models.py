"""The registration record."""

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from education.db import Base
from education.schools.models import School
from kota_contracts.education import Pathway
from kota_shared.db import value_enum


class Status(enum.StrEnum):
    SUBMITTED = "submitted"
    """In the running for a place."""
    WITHDRAWN = "withdrawn"
    """Withdrawn by the parent while registration was open; the child may register again."""


ACTIVE = frozenset({Status.SUBMITTED})
"""Statuses that hold the child's one registration of the year (see the partial index)."""


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (
        # One active registration per child and year, enforced by the database, so two
        # parents (or two taps) registering the same child at the same moment cannot both
        # win. The child is the NIK on the family card: a NISN is typed in, so anyone could
        # take another family's.
        Index(
            "uq_registrations_active_student",
            "admission_year",
            "student_nik",
            unique=True,
            postgresql_where=text("status = 'submitted'"),
        ),
        Index("ix_registrations_family_card", "family_card_number", "admission_year"),
        # A school's applicants per pathway, for the officers' ranking.
        Index("ix_registrations_school_pathway", "school_npsn", "admission_year", "pathway"),
        Index("ix_registrations_parent", "parent_id", "admission_year"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    number: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    """In order of registration: the last tie-break of every ranking."""
    admission_year: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[Status] = mapped_column(value_enum(Status), default=Status.SUBMITTED)
    parent_id: Mapped[str] = mapped_column(String(64))
    """The parent's (or guardian's) account id: the token's ``sub``."""
    registered_by: Mapped[str] = mapped_column(String(64))
    """Who typed it in: the parent, or the officer serving them at a kiosk."""
    school_npsn: Mapped[str] = mapped_column(ForeignKey("schools.npsn"))
    school: Mapped[School] = relationship(lazy="raise")
    pathway: Mapped[Pathway] = mapped_column(value_enum(Pathway))
    student_nik: Mapped[str | None] = mapped_column(String(16))
    """The child's NIK, as the family card lists it (None only on registrations made
    before family cards were read from the civil registry)."""
    student_nisn: Mapped[str] = mapped_column(String(10))
    student_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)
    psychologist_recommendation: Mapped[bool] = mapped_column(Boolean, default=False)
    family_card_number: Mapped[str] = mapped_column(String(16))
    """The KK number, from the civil registry: never sent in events or responses whole."""
    family_card_issued_on: Mapped[date] = mapped_column(Date)
    """From the civil registry, for the one-year rule."""
    home_latitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    """The family card's address, as the civil registry locates it (never typed in)."""
    home_longitude: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    distance_m: Mapped[int] = mapped_column(Integer)
    """Straight-line (haversine) distance from the home to the school, whole metres."""
    achievement_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    """0-100, for the prestasi pathway only."""
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    verified_by: Mapped[str | None] = mapped_column(String(64))
    """The school officer who checked the documents against the originals."""
    documents_checked: Mapped[list[str] | None] = mapped_column(ARRAY(String(32)))
    """`kota_contracts.education.DocumentKind` values, in the order the officer gave them."""
    verification_note: Mapped[str | None] = mapped_column(String(500))
