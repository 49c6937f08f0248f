"""A message: one notice on its way to one citizen by one channel (WhatsApp or SMS), and the
token buckets that keep the dispatchers within each provider's rate.

The message row is its own queue entry (the dispatcher claims due rows with ``FOR UPDATE
SKIP LOCKED``), so it is written in the notice's transaction as an outbox row would be. It
never holds the phone number: the number is read from identity at each send, and only a
keyed hash of it stays, to count the sends to that number.
"""

import uuid
from datetime import datetime

from sqlalchemy import (
    ARRAY,
    Boolean,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from information.db import Base
from information.delivery.statuses import MessageStatus
from information.preferences.models import Channel
from kota_shared.db import value_enum


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        # At most one message per notice and channel, whatever crashes, redeliveries or
        # racing fallbacks try: a second is never inserted, so never sent.
        UniqueConstraint("notice_id", "channel"),
        # A receipt names the provider's id for the message.
        UniqueConstraint("channel", "provider_message_id"),
        # The dispatcher's queue: what is due next.
        Index("ix_messages_due", "due_at", postgresql_where=text("due_at IS NOT NULL")),
        # Sent messages by their receipt deadline: each dispatch round asks for the overdue
        # ones, which the queue's index would find only behind every message waiting to go
        # (a million after an announcement).
        Index(
            "ix_messages_awaiting_receipt",
            "due_at",
            postgresql_where=text("status = 'sending'"),
        ),
        # The sends to one number within the last hour (the per-number limits).
        Index(
            "ix_messages_sends_to_number",
            "number_hash",
            "sent_at",
            postgresql_where=text("number_hash IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    """Also the provider's ``reference`` for the send, so a receipt finds its message even
    when the answer to the send was lost."""
    notice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notices.id"))
    recipient_id: Mapped[uuid.UUID]
    channel: Mapped[Channel] = mapped_column(value_enum(Channel, length=20))
    fallback_channels: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    """The citizen's channels after this one, in their order, as they were when the notice
    was planned: the next is tried when this one gets no receipt in time or fails."""
    language: Mapped[str] = mapped_column(String(2))
    urgent: Mapped[bool] = mapped_column(Boolean)
    """Sent in quiet hours too (copied from the notice, so the queue needs no join)."""
    status: Mapped[MessageStatus] = mapped_column(value_enum(MessageStatus))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the dispatcher next acts on it: send it (``created``, ``technical_failure``),
    or, once sent, give up waiting for its receipt (``sending``). None: nothing to do."""
    claim_token: Mapped[uuid.UUID | None]
    """The dispatcher that holds it for a send (until ``due_at``, a short lease)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    first_attempted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When it was handed to the provider (the last try); counts against the number's limits."""
    number_hash: Mapped[str | None] = mapped_column(String(64))
    """HMAC of the number it went to (never the number)."""
    content_hash: Mapped[str | None] = mapped_column(String(64))
    """HMAC of what it said, to tell identical messages apart."""
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    template_version: Mapped[int | None] = mapped_column(Integer)
    segments: Mapped[int | None] = mapped_column(Integer)
    """SMS parts the provider billed, as it answered."""
    error_code: Mapped[str | None] = mapped_column(String(64))
    """Why it failed or is held: the provider's code, ``no_receipt``, ``identical_limit``."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    fell_back_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the next channel was tried (or found unneeded): once per message."""


class SendRate(Base):
    """One provider's token bucket, shared by every dispatcher through its row lock; its
    time is the database's, the one clock all replicas read."""

    __tablename__ = "send_rates"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    tokens: Mapped[float] = mapped_column(Double)
    refilled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
