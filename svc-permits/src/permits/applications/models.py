"""The application record and its history of transitions."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from kota_shared.db import value_enum
from permits.applications.workflow import Action, Actor, Stage, Status
from permits.db import Base


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        # The officers' queue: open work ordered by its deadline.
        Index("ix_applications_queue", "status", "stage_deadline_at"),
        # The deadline sweep: running clocks not yet handled.
        Index(
            "ix_applications_overdue",
            "stage_deadline_at",
            postgresql_where=text("deadline_passed_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    applicant_id: Mapped[str] = mapped_column(String(64), index=True)
    """The citizen's account id (the token's ``sub``)."""
    created_by: Mapped[str] = mapped_column(String(64))
    """Who typed it in: the citizen, or the officer serving them at a kiosk."""
    permit_type: Mapped[str] = mapped_column(String(40), index=True)
    district_code: Mapped[str | None] = mapped_column(String(8))
    holder_name: Mapped[str | None] = mapped_column(String(200))
    """The name printed on the permit (the applicant, or the business they apply for)."""
    fields: Mapped[dict[str, Any]] = mapped_column(
        JSONB, default=dict, server_default=text("'{}'::jsonb")
    )
    """The type's form, as validated by the catalogue's field specs."""
    status: Mapped[Status] = mapped_column(value_enum(Status), default=Status.DRAFT)
    stage: Mapped[Stage | None] = mapped_column(value_enum(Stage))
    """The service-level stage whose clock is running, if any."""
    stage_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the running stage's clock started (its working days are counted from here)."""
    stage_deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deadline_passed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Set once the running stage's deadline was handled, so it is handled once."""
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    fee_amount: Mapped[int | None] = mapped_column(BigInteger)
    """Whole rupiah, assessed on approval."""
    fee_invoice_id: Mapped[uuid.UUID | None]
    """The invoice payments opened for the fee (``payments.invoice.created.v1``): the only one
    whose payment issues the permit."""
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Transition(Base):
    """One step of an application's workflow: who did what, when, and why."""

    __tablename__ = "application_transitions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[Action] = mapped_column(value_enum(Action))
    from_status: Mapped[Status] = mapped_column(value_enum(Status))
    to_status: Mapped[Status] = mapped_column(value_enum(Status))
    actor: Mapped[Actor] = mapped_column(value_enum(Actor))
    actor_id: Mapped[str] = mapped_column(String(64))
    """The account that acted (``system`` for the deadline clock and payment events)."""
    acting_officer_id: Mapped[str | None] = mapped_column(String(64))
    """The officer at the kiosk when a citizen was served in person."""
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
