"""Citizens' transactions per service, district and day, and how many an officer did."""

from sqlalchemy import Column, Date, String, Table

from monitoring.aggregates import counter
from monitoring.db import Base

reach_daily = Table(
    "reach_daily",
    Base.metadata,
    Column("service", String(20), primary_key=True),
    Column("kecamatan_code", String(8), primary_key=True),
    Column("day", Date, primary_key=True),
    counter("transactions"),
    counter("assisted"),
)
"""A transaction is a citizen's own step: registering, handing in or withdrawing an
application, booking a clinic, registering a child; ``assisted`` were taken by an officer
for the citizen at a kiosk. District is unknown where the event does not say it."""
