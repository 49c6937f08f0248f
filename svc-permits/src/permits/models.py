"""The permits database: its declarative base, the shared tables, and every model module."""

from sqlalchemy.orm import DeclarativeBase

from kota_shared.db import new_metadata
from kota_shared.events.tables import event_tables
from kota_shared.idempotency import idempotency_table


class Base(DeclarativeBase):
    metadata = new_metadata()


EVENT_TABLES = event_tables(Base.metadata)
IDEMPOTENCY_KEYS = idempotency_table(Base.metadata)

# Imported for their side effect: every table is on Base.metadata for Alembic.
from permits.applications import models as _applications  # noqa: E402, F401
from permits.catalogue import models as _catalogue  # noqa: E402, F401
from permits.documents import models as _documents  # noqa: E402, F401
from permits.issuance import models as _issuance  # noqa: E402, F401
