"""The health database: its declarative base, the outbox/inbox, and every model module."""

import enum

from sqlalchemy import Enum
from sqlalchemy.orm import DeclarativeBase

from kota_shared.db import new_metadata
from kota_shared.events.tables import event_tables


class Base(DeclarativeBase):
    metadata = new_metadata()


EVENT_TABLES = event_tables(Base.metadata)


def stored_enum(enum_class: type[enum.Enum]) -> Enum:
    """Store an enum by value as a short string (no PostgreSQL enum type to migrate)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


# Imported for their side effect: every table is on Base.metadata for Alembic.
from health.bookings import models as _bookings  # noqa: E402, F401
from health.facilities import models as _facilities  # noqa: E402, F401
