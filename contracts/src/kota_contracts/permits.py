"""Events the permits service publishes on ``permits.events`` (typed, versioned).

Keyed by application id, so one application's story arrives in order. Amounts are whole
rupiah. Applicants appear by account id only: names and NIKs stay in the service.
"""

import uuid
from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from kota_shared.events.envelope import EventData

TOPIC = "permits.events"
FEE_INVOICE_SOURCE = "permits"
_FEE_INVOICE_PREFIX = "permits:application:"


def fee_invoice_reference(application_id: uuid.UUID) -> str:
    """The ``source_reference`` of the invoice for an application's fee (payments opens it
    from `ApplicationApproved`; permits recognises it in payments' events)."""
    return f"{_FEE_INVOICE_PREFIX}{application_id}"


def application_of_fee_invoice(source_reference: str) -> uuid.UUID | None:
    """The application a fee invoice's reference names, or None for any other reference."""
    if not source_reference.startswith(_FEE_INVOICE_PREFIX):
        return None
    try:
        return uuid.UUID(source_reference.removeprefix(_FEE_INVOICE_PREFIX))
    except ValueError:
        return None


class _PermitsEvent(EventData):
    topic: ClassVar[str] = TOPIC


Stage = Literal["verification", "review"]
"""A stage with its own service-level deadline, counted in working days."""

Action = Literal[
    "submit",
    "start_review",
    "request_revision",
    "resubmit",
    "approve",
    "reject",
    "deem_approved",
    "request_payment",
    "issue",
    "record_payment",
    "expire",
    "cancel",
    "revoke",
]
"""A step of the application workflow (permits' ``Action``; a test keeps the two equal)."""


class _Clock(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OpenedStage(_Clock):
    """A stage's clock as permits' working-day calendar set it when the stage began.

    Every instant is computed by permits, which owns the calendar, so a reader compares
    times and never counts working days itself.
    """

    stage: Stage
    due_at: datetime
    """The deadline, exclusive: the stage is on time when it closes before this instant."""
    at_risk_at: datetime
    """80 % of the way from the stage's start to ``due_at``."""
    aged_3_working_days_at: datetime
    """When the application has waited 3 whole working days in this stage (then 6, 11):
    the edges of the backlog's age bands 0-2, 3-5, 6-10 and over 10 working days."""
    aged_6_working_days_at: datetime
    aged_11_working_days_at: datetime


class ClosedStage(_Clock):
    """A stage whose clock stopped at this step: the city acted, or the clock ran out."""

    stage: Stage
    started_at: datetime
    due_at: datetime
    working_days: int
    """Whole working days the stage took, counted by permits' calendar."""


class ApplicationDrafted(_PermitsEvent):
    """A citizen (or an officer for them) started an application."""

    event_type: ClassVar[str] = "permits.application.drafted.v1"

    application_id: uuid.UUID
    permit_type: str
    district_code: str | None
    drafted_at: datetime


class ApplicationSubmitted(_PermitsEvent):
    """The applicant handed the application in (again, after a revision, if ``resubmission``)."""

    event_type: ClassVar[str] = "permits.application.submitted.v1"

    application_id: uuid.UUID
    permit_type: str
    district_code: str | None
    resubmission: bool
    submitted_at: datetime
    deadline_at: datetime
    """When the verification stage's service-level target passes."""


# v2, published beside v1 (docs/events.md): information tells the applicant their
# application arrived, and v1 names no applicant (its payloads forbid new fields).
class ApplicationSubmittedV2(_PermitsEvent):
    """The applicant handed the application in (again, after a revision, if ``resubmission``)."""

    event_type: ClassVar[str] = "permits.application.submitted.v2"

    application_id: uuid.UUID
    applicant_id: str
    """The applicant's account id (never their NIK or name)."""
    permit_type: str
    district_code: str | None
    resubmission: bool
    submitted_at: datetime
    deadline_at: datetime
    """When the verification stage's service-level target passes."""


class RevisionRequested(_PermitsEvent):
    """An officer sent the application back to the applicant with what to change."""

    event_type: ClassVar[str] = "permits.application.revision_requested.v1"

    application_id: uuid.UUID
    applicant_id: str
    permit_type: str
    note: str
    requested_at: datetime


class ApplicationApproved(_PermitsEvent):
    """Approved, with the fee assessed; a fee above zero asks payments for an invoice."""

    event_type: ClassVar[str] = "permits.application.approved.v1"

    application_id: uuid.UUID
    applicant_id: str
    permit_type: str
    permit_type_name: str
    district_code: str | None
    fee_amount: int
    currency: Literal["IDR"] = "IDR"
    deemed: bool
    """Approved by *fiktif positif* (the deadline passed undecided), not by an officer."""
    approved_at: datetime


class ApplicationRejected(_PermitsEvent):
    event_type: ClassVar[str] = "permits.application.rejected.v1"

    application_id: uuid.UUID
    applicant_id: str
    permit_type: str
    reason: str
    rejected_at: datetime


class ApplicationCancelled(_PermitsEvent):
    """The applicant withdrew the application before a decision."""

    event_type: ClassVar[str] = "permits.application.cancelled.v1"

    application_id: uuid.UUID
    permit_type: str
    cancelled_at: datetime


class ApplicationExpired(_PermitsEvent):
    """Approved with a fee that was not paid in time: the invoice expired."""

    event_type: ClassVar[str] = "permits.application.expired.v1"

    application_id: uuid.UUID
    applicant_id: str
    permit_type: str
    expired_at: datetime


class DeadlinePassed(_PermitsEvent):
    """A stage's service-level target passed undecided; the type's policy was applied."""

    event_type: ClassVar[str] = "permits.application.deadline_passed.v1"

    application_id: uuid.UUID
    permit_type: str
    stage: Literal["verification", "review"]
    deadline_at: datetime
    policy: Literal["auto_approve", "escalate"]
    detected_at: datetime


class PermitIssued(_PermitsEvent):
    event_type: ClassVar[str] = "permits.permit.issued.v1"

    permit_id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: str
    permit_type: str
    number: str
    issued_at: datetime
    valid_until: date | None


# v2, published beside v1 (docs/events.md): the holder is told where anyone can check the
# permit, whose signed code only permits can make.
class PermitIssuedV2(_PermitsEvent):
    event_type: ClassVar[str] = "permits.permit.issued.v2"

    permit_id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: str
    permit_type: str
    number: str
    issued_at: datetime
    valid_until: date | None
    verification_url: str
    """The public page that checks the permit (the code printed in its QR): public by
    design, as the printed permit shows it to whoever it is handed to."""


class PermitRevoked(_PermitsEvent):
    event_type: ClassVar[str] = "permits.permit.revoked.v1"

    permit_id: uuid.UUID
    application_id: uuid.UUID
    permit_type: str
    number: str
    reason: str
    revoked_at: datetime


class StepTaken(_PermitsEvent):
    """One step of an application's workflow, with the service-level clocks it stopped and
    started: the ledger monitoring measures the city against its deadlines from.

    Published for every step, beside the step's own event (``approved``, ``rejected``, ...),
    which consumers that act on a decision keep reading.
    """

    event_type: ClassVar[str] = "permits.application.step_taken.v1"

    application_id: uuid.UUID
    permit_type: str
    kecamatan_code: str | None
    """Where the permit applies, dotted (``36.71.07``), as the civil registry writes it."""
    action: Action
    from_status: str
    to_status: str
    actor: Literal["applicant", "officer", "system"]
    assisted_by: str | None
    """The officer who took the applicant's step for them at a kiosk, if anyone did."""
    at: datetime
    closed_stage: ClosedStage | None
    opened_stage: OpenedStage | None
