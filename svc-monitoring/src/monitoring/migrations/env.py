"""Alembic environment for the monitoring database (the shared runner does the work)."""

from kota_shared.migrations import run_env

# Imported for their side effect: every table is on Base.metadata before it is compared.
from monitoring.alerts import models as _alerts  # noqa: F401
from monitoring.counters import models as _counters  # noqa: F401
from monitoring.db import Base
from monitoring.education import models as _education  # noqa: F401
from monitoring.health import models as _health  # noqa: F401
from monitoring.payments import models as _payments  # noqa: F401
from monitoring.permits import models as _permits  # noqa: F401
from monitoring.reach import models as _reach  # noqa: F401
from monitoring.system import models as _system  # noqa: F401

run_env(Base.metadata)
