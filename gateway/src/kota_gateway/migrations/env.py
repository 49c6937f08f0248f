"""Alembic environment for the gateway database (the shared runner does the work)."""

from kota_gateway.models import Base
from kota_shared.migrations import run_env

run_env(Base.metadata)
