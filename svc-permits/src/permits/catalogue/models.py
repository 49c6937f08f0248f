"""The permit types a city offers, as its admin defined them."""

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from permits.db import Base


class PermitType(Base):
    """One catalogue entry; ``definition`` is the whole `PermitTypeDefinition` as JSON.

    The columns beside it are copies of what queries filter on, kept in step by the
    repository, so the catalogue can grow fields without a migration each time.
    """

    __tablename__ = "permit_types"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    category: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
