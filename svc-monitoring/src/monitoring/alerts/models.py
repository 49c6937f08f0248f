"""Every alert raised, by its cause: the ledger that keeps an alert to once per cause.

Rebuilt from monitoring's own topic like any read model, so a rebuild does not raise again
what was raised before it.
"""

from sqlalchemy import Column, DateTime, Index, String, Table, UniqueConstraint, Uuid

from monitoring.db import Base

alerts = Table(
    "alerts",
    Base.metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("application_id", Uuid, nullable=False),
    Column("permit_type", String(40), nullable=False),
    Column("kecamatan_code", String(8), nullable=False),
    Column("stage", String(20), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("detected_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("kind", "application_id", "stage", "started_at", name="uq_alerts_cause"),
    Index("ix_alerts_newest", "detected_at", "event_id"),
)
