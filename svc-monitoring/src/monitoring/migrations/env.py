"""Alembic environment for the monitoring database (the shared runner does the work)."""

from kota_shared.migrations import run_env
from monitoring.models import Base

run_env(Base.metadata)
