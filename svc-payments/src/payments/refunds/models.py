"""Refunds: never more than what was paid minus what was already refunded."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from payments.db import Base


class Refund(Base):
    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount_rupiah > 0", name="amount_rupiah_positive"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payments.id"))
    """Set when a specific payment is sent back (one that arrived after the invoice closed)."""
    amount_rupiah: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(500))
    refunded_by: Mapped[str] = mapped_column(String(64))
    """The finance officer, or ``system`` for automatic refunds."""
    refunded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
