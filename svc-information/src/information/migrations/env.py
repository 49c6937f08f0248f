"""Alembic environment for the information database (the shared runner does the work).

Import each aggregate's models module here, so every table is on the metadata."""

from information.db import Base
from information.delivery import models as _delivery  # noqa: F401
from information.kiosk import models as _kiosk  # noqa: F401
from kota_shared.migrations import run_env

run_env(Base.metadata)
