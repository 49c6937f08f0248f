"""Alembic environment for the payments database (the shared runner does the work)."""

from kota_shared.migrations import run_env
from payments.models import Base

run_env(Base.metadata)
