"""A notice: one thing the city tells one account, kept in their inbox whatever channel
also carried it."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from information.db import Base


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (
        # One notice per cause and recipient: a redelivered or replayed event, a reminder
        # swept twice or an announcement's fan-out resumed after a crash adds nothing.
        UniqueConstraint("source_id", "recipient_id", "kind"),
        # The inbox: newest first.
        Index("ix_notices_inbox", "recipient_id", text("created_at DESC"), text("id DESC")),
        # The home screen's count of unread notices.
        Index(
            "ix_notices_unread",
            "recipient_id",
            postgresql_where=text("read_at IS NULL AND archived_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    recipient_id: Mapped[uuid.UUID]
    """The account it is addressed to (a citizen, or an officer for an alert)."""
    kind: Mapped[str] = mapped_column(String(60))
    source_id: Mapped[str] = mapped_column(String(80))
    """What caused it: the event's id, or ``announcement:<id>``, or ``reminder:<id>``."""
    subject_ref: Mapped[str] = mapped_column(String(80))
    """What it is about (an application, an invoice, a booking), for the app's links."""
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    """What the templates print, for every channel's rendering; no personal data."""
    content: Mapped[dict[str, dict[str, str]]] = mapped_column(JSONB)
    """The inbox's title and body in each language, as rendered when it was created."""
    template_version: Mapped[int] = mapped_column(Integer)
    urgent: Mapped[bool] = mapped_column(Boolean)
    """May reach the citizen in their quiet hours (it cannot wait until morning)."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SubjectOwnerRow(Base):
    """Whose application, booking or registration a subject is, as the event that named the
    citizen said: later events about it (submitted, cancelled) do not name them again."""

    __tablename__ = "subject_owners"

    subject_ref: Mapped[str] = mapped_column(String(80), primary_key=True)
    account_id: Mapped[uuid.UUID]
