"""The invoice record."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Enum, String, func
from sqlalchemy.orm import Mapped, mapped_column

from payments.models import Base


class InvoiceStatus(enum.StrEnum):
    OPEN = "open"


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (CheckConstraint("amount_rupiah > 0", name="amount_rupiah_positive"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    payer_id: Mapped[str] = mapped_column(String(64), index=True)
    """The paying citizen's account id (the token's ``sub``)."""
    source_reference: Mapped[str] = mapped_column(String(200), unique=True)
    """What the invoice is for, in the owning service's words (e.g. a permit application).

    Unique so that the same request delivered twice can never bill the citizen twice.
    """
    description: Mapped[str] = mapped_column(String(500))
    amount_rupiah: Mapped[int] = mapped_column(BigInteger)
    """Whole rupiah: money is never a float."""
    status: Mapped[InvoiceStatus] = mapped_column(
        Enum(
            InvoiceStatus,
            native_enum=False,
            length=32,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=InvoiceStatus.OPEN,
    )
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
