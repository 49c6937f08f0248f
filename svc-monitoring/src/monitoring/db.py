"""The monitoring database: its declarative base and the outbox/inbox every service shares.

The read models' modules declare their tables on ``Base``; `migrations/env.py` imports each of
them, so this module imports none and nothing circles back to it. No table here holds a name,
a NIK or a phone number: only ids of records, codes and counts.
"""

from sqlalchemy.orm import DeclarativeBase

from kota_shared.db import new_metadata
from kota_shared.events.tables import event_tables


class Base(DeclarativeBase):
    metadata = new_metadata()


EVENT_TABLES = event_tables(Base.metadata)
