"""Ledger entries: the rows of posted journals, append-only.

A posted entry is never updated or deleted: a mistake is corrected by posting a new journal
that reverses it, so the ledger keeps the whole history that finance and auditors read.
"""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Identity, String
from sqlalchemy.orm import Mapped, mapped_column

from kota_shared.db import value_enum
from payments.db import Base
from payments.ledger.postings import JournalKind


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("debit >= 0", name="debit_not_negative"),
        CheckConstraint("credit >= 0", name="credit_not_negative"),
        CheckConstraint("(debit > 0) <> (credit > 0)", name="exactly_one_side_positive"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    journal_id: Mapped[uuid.UUID] = mapped_column(index=True)
    """Groups the entries posted together; their debits equal their credits."""
    kind: Mapped[JournalKind] = mapped_column(value_enum(JournalKind))
    account: Mapped[str] = mapped_column(String(64), index=True)
    debit: Mapped[int] = mapped_column(BigInteger)
    """Whole rupiah: money is never a float."""
    credit: Mapped[int] = mapped_column(BigInteger)
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    reference: Mapped[str] = mapped_column(String(200))
    """What moved the money: the provider's transaction id, or our refund id."""
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
