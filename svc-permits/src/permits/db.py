"""The permits database: its declarative base and the tables every service keeps.

Each aggregate's ``models`` module declares its tables on ``Base``; Alembic's environment
imports them all (``migrations/env.py``), so this module imports none of them.
"""

from sqlalchemy.orm import DeclarativeBase

from kota_shared.db import new_metadata
from kota_shared.events.tables import event_tables
from kota_shared.idempotency import idempotency_table


class Base(DeclarativeBase):
    metadata = new_metadata()


EVENT_TABLES = event_tables(Base.metadata)
IDEMPOTENCY_KEYS = idempotency_table(Base.metadata)
