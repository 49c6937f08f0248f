"""Alembic environment for the permits database (the shared runner does the work)."""

from kota_shared.migrations import run_env
from permits.models import Base

run_env(Base.metadata)
