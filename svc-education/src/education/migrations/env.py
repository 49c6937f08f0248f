"""Alembic environment for the education database (the shared runner does the work)."""

from education.models import Base
from kota_shared.migrations import run_env

run_env(Base.metadata)
