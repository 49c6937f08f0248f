"""Alembic environment for the monitoring database (the shared runner does the work)."""

from kota_shared.migrations import run_env

# Imported for their side effect: every table is on Base.metadata before it is compared.
from monitoring.counters import models as _counters  # noqa: F401
from monitoring.db import Base

run_env(Base.metadata)
