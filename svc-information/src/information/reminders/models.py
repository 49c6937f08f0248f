"""A reminder: a notice drafted when its event arrived, to be recorded at a later time unless
what it reminds of is settled meanwhile (the invoice paid, the booking cancelled)."""

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Index, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from information.db import Base
from kota_shared.db import value_enum


class ReminderState(enum.StrEnum):
    SCHEDULED = "scheduled"
    SENT = "sent"
    """Recorded as a notice (which the dispatcher then sends)."""
    CANCELLED = "cancelled"
    """What it reminded of was settled first."""


class Reminder(Base):
    __tablename__ = "reminders"
    __table_args__ = (
        # One reminder of a kind per subject: a redelivered event schedules nothing more.
        UniqueConstraint("kind", "subject_ref"),
        # The sweep's question: what is due now.
        Index("ix_reminders_due", "due_at", postgresql_where=text("state = 'scheduled'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(60))
    recipient_id: Mapped[uuid.UUID]
    subject_ref: Mapped[str] = mapped_column(String(80), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    urgent: Mapped[bool] = mapped_column(Boolean)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[ReminderState] = mapped_column(value_enum(ReminderState))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When it was sent or cancelled."""
