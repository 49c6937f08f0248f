"""The identity database: its declarative base and the outbox/inbox."""

from sqlalchemy.orm import DeclarativeBase

from kota_shared.db import new_metadata
from kota_shared.events.tables import event_tables


class Base(DeclarativeBase):
    metadata = new_metadata()


EVENT_TABLES = event_tables(Base.metadata)

# Imported for their side effect: every table is on Base.metadata for Alembic.
from kota_gateway.clients import models as _clients  # noqa: E402, F401
from kota_gateway.identity import models as _identity  # noqa: E402, F401
