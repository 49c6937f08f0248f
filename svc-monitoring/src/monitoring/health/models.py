"""The health read model: bookings per facility, service and visit day (no citizen)."""

from sqlalchemy import Column, Date, Integer, String, Table

from monitoring.aggregates import counter
from monitoring.db import Base

booking_daily = Table(
    "booking_daily",
    Base.metadata,
    Column("visit_date", Date, primary_key=True),
    Column("facility_code", String(40), primary_key=True),
    Column("service_code", String(40), primary_key=True),
    counter("booked"),
    counter("cancelled"),
    counter("assisted"),
    # The places offered that day: the largest any booking reported (they are read in no
    # particular order, and a largest is the same in every order).
    Column("quota", Integer),
)
"""Places taken and given back per visit day; ``assisted`` were booked by a kiosk officer."""
