"""Alembic environment for the health database (the shared runner does the work)."""

from health.bookings import models as _bookings  # noqa: F401
from health.db import Base
from health.facilities import models as _facilities  # noqa: F401
from kota_shared.migrations import run_env

run_env(Base.metadata)
