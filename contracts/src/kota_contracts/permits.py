"""Events the permits service publishes on ``permits.events`` (typed, versioned).

Keyed by application id, so one application's story arrives in order. Amounts are whole
rupiah. Applicants appear by account id only: names and NIKs stay in the service.
"""

import uuid
from datetime import date, datetime
from typing import ClassVar, Literal

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


class PermitRevoked(_PermitsEvent):
    event_type: ClassVar[str] = "permits.permit.revoked.v1"

    permit_id: uuid.UUID
    application_id: uuid.UUID
    permit_type: str
    number: str
    reason: str
    revoked_at: datetime
