"""Alembic environment for the gateway database (the shared runner does the work)."""

from kota_gateway.db import Base
from kota_gateway.identity.accounts import models as _accounts  # noqa: F401
from kota_gateway.identity.clients import models as _clients  # noqa: F401
from kota_gateway.identity.contacts import models as _contacts  # noqa: F401
from kota_gateway.identity.registry import models as _registry  # noqa: F401
from kota_shared.migrations import run_env

# Every model module is imported above, so every table is on Base.metadata.
run_env(Base.metadata)
