"""A notice handed over at a kiosk, printed as a letter, to a citizen who may have no phone:
who handed it over and when. One row per notice, so it is handed over once."""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from information.db import Base


class Handover(Base):
    __tablename__ = "kiosk_handovers"

    notice_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True
    )
    handed_over_by: Mapped[uuid.UUID]
    """The officer's account: the one named in the citizen's assist token (``act``), or the
    information officer who printed it."""
    handed_over_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
