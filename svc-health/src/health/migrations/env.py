"""Alembic environment for the health database (the shared runner does the work)."""

from health.models import Base
from kota_shared.migrations import run_env

run_env(Base.metadata)
