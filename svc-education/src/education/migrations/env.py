"""Alembic environment for the education database (the shared runner does the work)."""

from education.db import Base
from education.registrations import models as _registrations  # noqa: F401
from education.schools import models as _schools  # noqa: F401
from kota_shared.migrations import run_env

run_env(Base.metadata)
