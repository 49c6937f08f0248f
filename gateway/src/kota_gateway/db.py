"""The gateway's database: its declarative base and the outbox/inbox tables.

Models import `Base` from here; nothing here imports them back (``migrations/env.py``
gathers every model module for Alembic), so no import circle runs through the base.
"""

from sqlalchemy.orm import DeclarativeBase

from kota_shared.db import new_metadata
from kota_shared.events.tables import event_tables


class Base(DeclarativeBase):
    metadata = new_metadata()


EVENT_TABLES = event_tables(Base.metadata)
