"""The education read model: registrations per school and pathway (no child, no parent)."""

from sqlalchemy import Column, Integer, String, Table

from monitoring.aggregates import counter
from monitoring.db import Base

registration_totals = Table(
    "registration_totals",
    Base.metadata,
    Column("admission_year", Integer, primary_key=True),
    Column("school_npsn", String(8), primary_key=True),
    Column("level", String(3), primary_key=True),
    Column("pathway", String(20), primary_key=True),
    counter("submitted"),
    counter("withdrawn"),
    counter("verified"),
    counter("assisted"),
    # The school's places and the pathway's share, the largest any registration reported.
    Column("capacity", Integer),
    Column("pathway_quota", Integer),
)
"""Registrations submitted, withdrawn and verified; ``assisted`` were made at a kiosk."""
