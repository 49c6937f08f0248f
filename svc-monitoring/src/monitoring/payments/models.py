"""The payments read model: each invoice's state (no payer), and daily figures per source.

Daily figures are keyed by what payments' own events say (the source service), so they come
out the same whatever order the topics are read in; revenue per permit type is read from
each paid invoice's application, joined with the permits read model when asked.
"""

from sqlalchemy import BigInteger, Column, Date, DateTime, Index, String, Table, Uuid

from monitoring.aggregates import counter
from monitoring.db import Base

invoice_cases = Table(
    "invoice_cases",
    Base.metadata,
    Column("invoice_id", Uuid, primary_key=True),
    Column("source", String(40), nullable=False),
    # The application a permit fee is for (none for other sources).
    Column("application_id", Uuid),
    Column("amount", BigInteger, nullable=False),
    Column("due_at", DateTime(timezone=True)),  # unknown for a payment never seen opened
    Column("status", String(20), nullable=False),
    Column("paid_day", Date),
    Column("paid_amount", BigInteger),
    Column("channel", String(10)),
    Index("ix_invoice_cases_paid_day", "paid_day", postgresql_where="paid_day IS NOT NULL"),
)

payment_daily = Table(
    "payment_daily",
    Base.metadata,
    Column("day", Date, primary_key=True),
    Column("source", String(40), primary_key=True),
    counter("opened"),
    counter("opened_amount", big=True),
    counter("paid"),
    counter("paid_within_due"),
    counter("expired"),
    counter("cancelled"),
    counter("refunds"),
    counter("refunded_amount", big=True),
    counter("anomalies"),
)
"""Per city day and source: what was opened, paid (and how much of it before its due time),
expired, cancelled and refunded; anomalies are payments that do not fit their invoice."""

revenue_daily = Table(
    "revenue_daily",
    Base.metadata,
    Column("day", Date, primary_key=True),
    Column("source", String(40), primary_key=True),
    Column("channel", String(10), primary_key=True),
    counter("payments"),
    counter("amount", big=True),
)
"""Money received, per city day, source and channel (VA, QRIS)."""
