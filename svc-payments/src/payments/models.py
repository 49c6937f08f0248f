"""The payments database: its declarative base, the shared tables, and every model module."""

from sqlalchemy.orm import DeclarativeBase

from kota_shared.db import new_metadata
from kota_shared.events.tables import event_tables
from kota_shared.idempotency import idempotency_table


class Base(DeclarativeBase):
    metadata = new_metadata()


EVENT_TABLES = event_tables(Base.metadata)
IDEMPOTENCY_KEYS = idempotency_table(Base.metadata)

# Imported for their side effect: every table is on Base.metadata for Alembic.
from payments.invoices import models as _invoices  # noqa: E402, F401
from payments.ledger import models as _ledger  # noqa: E402, F401
from payments.refunds import models as _refunds  # noqa: E402, F401
from payments.settlement import models as _settlement  # noqa: E402, F401
