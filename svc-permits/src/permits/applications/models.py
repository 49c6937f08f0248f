"""The application record."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import DateTime, Enum, String, func
from sqlalchemy.orm import Mapped, mapped_column

from permits.models import Base


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    applicant_id: Mapped[str] = mapped_column(String(64), index=True)
    """The citizen's account id (the token's ``sub``)."""
    created_by: Mapped[str] = mapped_column(String(64))
    """Who typed it in: the citizen, or the officer serving them at a kiosk."""
    permit_type: Mapped[str] = mapped_column(String(40))
    district_code: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[ApplicationStatus] = mapped_column(
        Enum(
            ApplicationStatus,
            native_enum=False,
            length=32,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=ApplicationStatus.DRAFT,
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
