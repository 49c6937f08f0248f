"""The agency client record: who it is, what it may do, and its hashed secret(s)."""

from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from kota_gateway.db import Base


class AgencyClient(Base):
    """A partner system (a ministry, a bank, the national health platform) with scopes.

    The secret is never stored, only its Argon2id hash. After a rotation the previous hash
    may stay valid for a grace period, so the agency can roll the new secret out without a
    gap; a revoked client keeps its row, for the record.
    """

    __tablename__ = "agency_clients"

    client_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(64)))
    secret_hash: Mapped[str] = mapped_column(String(255))
    previous_secret_hash: Mapped[str | None] = mapped_column(String(255))
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(128))
    """The ``sub`` of the city admin who created it."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    secret_rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(128))

    @property
    def active(self) -> bool:
        return self.revoked_at is None
