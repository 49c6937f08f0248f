"""Payments the provider reported, and reports that could not be accepted."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from kota_shared.db import value_enum
from payments.db import Base


class Channel(enum.StrEnum):
    VA = "va"
    QRIS = "qris"


class Outcome(enum.StrEnum):
    APPLIED = "applied"
    """It paid an open invoice."""
    REFUNDED = "refunded"
    """The invoice was no longer open (expired, cancelled, paid already): sent back."""


class Payment(Base):
    """One settlement, recorded once: the provider's transaction id is unique."""

    __tablename__ = "payments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    provider_transaction_id: Mapped[str] = mapped_column(String(100), unique=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    channel: Mapped[Channel] = mapped_column(value_enum(Channel))
    reference: Mapped[str] = mapped_column(String(40))
    """The virtual account number or QRIS bill number that was paid."""
    amount_rupiah: Mapped[int] = mapped_column(BigInteger)
    outcome: Mapped[Outcome] = mapped_column(value_enum(Outcome))
    paid_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """When the provider says the citizen paid."""
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AnomalyKind(enum.StrEnum):
    AMOUNT_MISMATCH = "amount_mismatch"
    UNKNOWN_REFERENCE = "unknown_reference"


class PaymentAnomaly(Base):
    """A settlement report refused for finance officers to look into (never applied)."""

    __tablename__ = "payment_anomalies"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    kind: Mapped[AnomalyKind] = mapped_column(value_enum(AnomalyKind))
    provider_transaction_id: Mapped[str] = mapped_column(String(100), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(40))
    amount_rupiah: Mapped[int] = mapped_column(BigInteger)
    expected_rupiah: Mapped[int | None] = mapped_column(BigInteger)
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoices.id"))
    flagged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
