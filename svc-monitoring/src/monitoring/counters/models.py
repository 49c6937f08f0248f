"""One counter row per event type."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from monitoring.db import Base


class EventCount(Base):
    __tablename__ = "event_counts"

    event_type: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    last_event_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
