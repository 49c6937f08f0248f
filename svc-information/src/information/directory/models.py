"""Who information can address: every account identity announced, with what a notice's
audience is chosen by (a citizen's district, whether a kiosk registered them, a staff
member's roles). Ids and region codes only: contact details stay with identity."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from information.db import Base
from kota_shared.db import value_enum


class AccountKind(enum.StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"


class DirectoryEntry(Base):
    __tablename__ = "directory"
    __table_args__ = (
        # An announcement's fan-out walks one district's citizens in id order.
        Index("ix_directory_citizens_by_kecamatan", "kind", "kecamatan_code", "account_id"),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[AccountKind] = mapped_column(value_enum(AccountKind))
    kecamatan_code: Mapped[str | None] = mapped_column(String(8))
    """Where a citizen lives (``36.71.05``), from the civil registry; unknown for
    registrations identity announced before it knew the district."""
    registered_at_kiosk: Mapped[bool] = mapped_column(Boolean, default=False)
    """An officer registered the citizen: they may have no phone, so their notices are also
    listed for the kiosk."""
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
