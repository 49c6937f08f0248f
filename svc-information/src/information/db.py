"""The information database: its declarative base and the tables every service has (outbox,
inbox, idempotency keys). Each aggregate's ``models.py`` adds its tables to ``Base``."""

from sqlalchemy.orm import DeclarativeBase

from kota_shared.db import new_metadata
from kota_shared.events.tables import event_tables
from kota_shared.idempotency import idempotency_table


class Base(DeclarativeBase):
    metadata = new_metadata()


EVENT_TABLES = event_tables(Base.metadata)
IDEMPOTENCY_KEYS = idempotency_table(Base.metadata)
