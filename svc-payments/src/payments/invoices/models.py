"""Invoices, their lines, and the serial that numbers them and their virtual accounts."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Sequence,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kota_shared.db import value_enum
from payments.db import Base

INVOICE_SERIAL = Sequence("invoice_serial", metadata=Base.metadata)
"""Numbers invoices and derives their virtual accounts; a sequence never hands out one twice."""


class InvoiceStatus(enum.StrEnum):
    OPEN = "open"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("amount_rupiah > 0", name="amount_rupiah_positive"),
        CheckConstraint(
            "refunded_rupiah >= 0 AND refunded_rupiah <= paid_rupiah", name="refunds_within_paid"
        ),
        # A virtual account belongs to one open invoice at a time.
        Index(
            "uq_invoices_open_va_number",
            "va_number",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
        # The expiry sweep: open invoices by due date.
        Index("ix_invoices_open_due_at", "due_at", postgresql_where=text("status = 'open'")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    serial: Mapped[int] = mapped_column(
        BigInteger, INVOICE_SERIAL, server_default=INVOICE_SERIAL.next_value(), unique=True
    )
    number: Mapped[str] = mapped_column(String(25), unique=True)
    """Printed on the invoice and carried as the QRIS bill number (tag 62.01, ≤ 25 chars)."""
    payer_id: Mapped[str] = mapped_column(String(64), index=True)
    """The paying citizen's account id (the token's ``sub``)."""
    source: Mapped[str] = mapped_column(String(64))
    """Who asked for it: ``permits``, ``health``, ``education``, or ``agency:<client>``."""
    source_reference: Mapped[str] = mapped_column(String(200), unique=True)
    """What the invoice is for, in the asking service's words (e.g. a permit application).

    Unique so that the same request delivered twice can never bill the citizen twice.
    """
    description: Mapped[str] = mapped_column(String(500))
    amount_rupiah: Mapped[int] = mapped_column(BigInteger)
    """Whole rupiah: money is never a float."""
    paid_rupiah: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    refunded_rupiah: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    status: Mapped[InvoiceStatus] = mapped_column(
        value_enum(InvoiceStatus),
        default=InvoiceStatus.OPEN,
    )
    va_number: Mapped[str] = mapped_column(String(20))
    qris_payload: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When it expired or was cancelled."""
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    lines: Mapped[list["InvoiceLine"]] = relationship(
        order_by="InvoiceLine.position", lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def refundable_rupiah(self) -> int:
        return self.paid_rupiah - self.refunded_rupiah


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (CheckConstraint("amount_rupiah > 0", name="amount_rupiah_positive"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300))
    amount_rupiah: Mapped[int] = mapped_column(BigInteger)
