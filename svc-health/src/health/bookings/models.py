"""The booking record, the counters that give queue numbers without gaps, and the row each
citizen's bookings take their turn on."""

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from health.db import Base
from health.facilities.models import ClinicService
from kota_shared.db import value_enum


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        ForeignKeyConstraint(
            ["facility_id", "service_code"],
            ["clinic_services.facility_id", "clinic_services.code"],
        ),
        # A number is given once per queue, whatever the counter says.
        UniqueConstraint("facility_id", "service_code", "visit_date", "queue_number"),
        # One active booking per citizen and queue; the service checks first and says why,
        # this stops whatever slips past the check. The wider rule (one per facility and
        # day) is kept by the citizen's lock alone: an index for it could not be built over
        # the bookings made before the rule, which may hold two polyclinics on one day.
        Index(
            "uq_bookings_one_active_per_citizen",
            "citizen_id",
            "facility_id",
            "service_code",
            "visit_date",
            unique=True,
            postgresql_where=text("status = 'booked'"),
        ),
        # The citizen's upcoming bookings, by date.
        Index("ix_bookings_citizen_visits", "citizen_id", "visit_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    citizen_id: Mapped[str] = mapped_column(String(64))
    """The citizen's account id (the token's ``sub``)."""
    booked_by: Mapped[str] = mapped_column(String(64))
    """Who booked it: the citizen, or the officer serving them at a kiosk."""
    facility_id: Mapped[uuid.UUID]
    service_code: Mapped[str] = mapped_column(String(20))
    visit_date: Mapped[date] = mapped_column(Date)
    """The day of the visit, in the city's timezone."""
    queue_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[BookingStatus] = mapped_column(value_enum(BookingStatus))
    booked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_by: Mapped[str | None] = mapped_column(String(64))

    service: Mapped[ClinicService] = relationship(lazy="raise")
    """Load it with the query (`repository`), never by surprise in async code."""


class QueueCounter(Base):
    """The last queue number given for one service of one facility on one day.

    Taken inside the booking's transaction: its row lock makes concurrent bookings of that
    queue wait for each other (so the quota check sees every earlier booking), and a booking
    that rolls back rolls its number back, so numbers have no gaps. A cancelled booking keeps
    its number: numbers are never given twice.
    """

    __tablename__ = "queue_counters"
    __table_args__ = (
        ForeignKeyConstraint(
            ["facility_id", "service_code"],
            ["clinic_services.facility_id", "clinic_services.code"],
        ),
    )

    facility_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    service_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    visit_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class CitizenBookingLock(Base):
    """One row per citizen who has booked: every booking of theirs locks it first.

    What a booking checks about its citizen (how many active bookings they hold, whether
    they already hold one at the facility that day) spans queues, so no queue's counter
    lock covers it: ten bookings from one citizen for ten different days would each lock a
    different counter, each count the others as not there yet, and all succeed. Locking
    this row makes them wait for each other, so the count is right. Created with the first
    booking (and rolled back with it if that is refused); it holds nothing else.
    """

    __tablename__ = "citizen_booking_locks"

    citizen_id: Mapped[str] = mapped_column(String(64), primary_key=True)


@dataclass(frozen=True)
class Queue:
    """One day's queue of one service at one facility: what a `QueueCounter` counts."""

    facility_id: uuid.UUID
    service_code: str
    visit_date: date
