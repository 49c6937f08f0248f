"""Alembic environment for the payments database (the shared runner does the work)."""

from kota_shared.migrations import run_env
from payments.db import Base

# Imported for their side effect: every table is on Base.metadata before it is compared.
from payments.invoices import models as _invoices  # noqa: F401
from payments.ledger import models as _ledger  # noqa: F401
from payments.refunds import models as _refunds  # noqa: F401
from payments.settlement import models as _settlement  # noqa: F401

run_env(Base.metadata)
