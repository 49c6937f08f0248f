"""How a citizen wants to be reached beyond the inbox (which always has every notice)."""

import enum
import uuid
from datetime import datetime, time

from sqlalchemy import ARRAY, DateTime, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from information.db import Base


class Channel(enum.StrEnum):
    """Channels a message travels by besides the inbox, tried in the citizen's order."""

    WHATSAPP = "whatsapp"
    SMS = "sms"


DEFAULT_CHANNELS = (Channel.WHATSAPP, Channel.SMS)
"""WhatsApp first (cheaper, read receipts), SMS when it gets no receipt in time."""
DEFAULT_QUIET_HOURS = (time(21, 0), time(6, 0))
"""No SMS or WhatsApp between 21:00 and 06:00 city time unless it cannot wait."""


class Preference(Base):
    __tablename__ = "preferences"

    account_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    channels: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    """In the order to try them; empty: the inbox only."""
    language: Mapped[str] = mapped_column(String(2))
    quiet_from: Mapped[time | None] = mapped_column(Time)
    """City time; with ``quiet_until``, the night the citizen is not disturbed (none: never
    quiet). ``quiet_from`` after ``quiet_until`` spans midnight."""
    quiet_until: Mapped[time | None] = mapped_column(Time)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
