"""Alembic environment for the permits database (the shared runner does the work)."""

from kota_shared.migrations import run_env

# Each aggregate's models, imported for their tables: Alembic compares Base.metadata whole.
from permits.applicants import models as _applicants  # noqa: F401
from permits.applications import models as _applications  # noqa: F401
from permits.catalogue import models as _catalogue  # noqa: F401
from permits.db import Base
from permits.documents import models as _documents  # noqa: F401
from permits.issuance import models as _issuance  # noqa: F401

run_env(Base.metadata)
