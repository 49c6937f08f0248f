"""The audit of every contact read: who read whose contact, when, from where."""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from kota_gateway.db import Base


class ContactRead(Base):
    """One account's contact asked for by one caller. Never the phone itself: the row says
    that it was read, not what it was (the account's row says that)."""

    __tablename__ = "contact_reads"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    read_by: Mapped[str] = mapped_column(String(64), index=True)
    """The caller's ``sub``: ``client:<client id>``."""
    account_id: Mapped[uuid.UUID] = mapped_column(index=True)
    """Not a foreign key: an id no account has is recorded too (someone probing)."""
    found: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(64))
    """The caller's address, as the edge's rate limits see it."""
