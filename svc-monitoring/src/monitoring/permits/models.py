"""The permits read model: one row per application in the city's hands, and daily figures.

An application appears by its id, type and district only: who applied stays in permits.
"""

from sqlalchemy import Column, Date, DateTime, Index, Integer, String, Table, Uuid

from monitoring.aggregates import counter
from monitoring.db import Base

END_TO_END = "end_to_end"
"""The duration "stage" of a decided application: the working days of all its city stages."""

permit_cases = Table(
    "permit_cases",
    Base.metadata,
    Column("application_id", Uuid, primary_key=True),
    Column("permit_type", String(40), nullable=False),
    Column("kecamatan_code", String(8), nullable=False),
    Column("status", String(30), nullable=False),
    Column("stage", String(20)),
    Column("stage_started_at", DateTime(timezone=True)),
    Column("due_at", DateTime(timezone=True)),
    Column("at_risk_at", DateTime(timezone=True)),
    Column("aged_3_at", DateTime(timezone=True)),
    Column("aged_6_at", DateTime(timezone=True)),
    Column("aged_11_at", DateTime(timezone=True)),
    # Working days its stages took with the city so far (the citizen's revision time is not
    # the city's), and how many of them closed late: the end-to-end figures.
    Column("city_working_days", Integer, nullable=False, server_default="0"),
    Column("late_stages", Integer, nullable=False, server_default="0"),
    Column("approved_at", DateTime(timezone=True)),
    Index("ix_permit_cases_open", "stage", "due_at", postgresql_where="stage IS NOT NULL"),
)
"""Each application's latest state and running clock; the backlog is read from here."""

permit_daily = Table(
    "permit_daily",
    Base.metadata,
    Column("permit_type", String(40), primary_key=True),
    Column("kecamatan_code", String(8), primary_key=True),
    Column("day", Date, primary_key=True),
    counter("received"),
    counter("resubmitted"),
    counter("decided"),
    counter("approved"),
    counter("deemed_approved"),
    counter("rejected"),
    counter("revisions_requested"),
    counter("issued"),
    counter("cancelled"),
    counter("expired"),
    counter("paid"),
    counter("payment_wait_seconds", big=True),
)
"""What happened to applications, per type, district and the city's day it happened on."""

permit_stage_daily = Table(
    "permit_stage_daily",
    Base.metadata,
    Column("permit_type", String(40), primary_key=True),
    Column("kecamatan_code", String(8), primary_key=True),
    Column("stage", String(20), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("working_days", Integer, primary_key=True),
    counter("closed"),
    counter("on_time"),
)
"""Stages the city closed (and decided applications, as ``end_to_end``), by how many working
days they took: compliance is ``on_time / closed``, and p50/p90 come from the counts per
``working_days``, so no percentile needs the raw events."""
