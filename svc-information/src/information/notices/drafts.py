"""What each event tells whom: the notices an event gives, as data, before any is stored or
sent.

One row of `_NOTICES` per notice an event gives: the event's type, the notice's kind, who
receives it, what it is about, and the parameters its templates print. An event without a
row gives no notice. Reminders are rows of `_REMINDERS`: the same events, drafted again for
the time the consumer schedules them.

Parameters are ids, codes, amounts and ISO 8601 instants; free text an officer or a probe
wrote is redacted (`masking.redact`), so a notice never stores a NIK, a family-card number,
a phone number or a password typed into it.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from information.notices.kinds import NoticeKind, NoticeParams
from information.rendering.masking import redact
from kota_contracts.access import Role
from kota_contracts.education import RegistrationSubmittedV2, RegistrationWithdrawn
from kota_contracts.health import AppointmentBookedV2, AppointmentCancelled
from kota_contracts.monitoring import (
    ConsumerLagging,
    DeadLetterWritten,
    DeadlineAtRisk,
    DeadlineBreached,
    ServiceNotReady,
)
from kota_contracts.payments import InvoiceCreated, InvoiceExpired, InvoicePaid, RefundIssued
from kota_contracts.permits import (
    ApplicationApproved,
    ApplicationRejected,
    ApplicationSubmittedV2,
    DeadlinePassed,
    PermitIssuedV2,
    RevisionRequested,
)
from kota_shared.events.envelope import EventData


@dataclass(frozen=True)
class CitizenRecipient:
    """One citizen's account, named by the event."""

    account_id: uuid.UUID


@dataclass(frozen=True)
class SubjectOwner:
    """The citizen whose application, booking or registration ``subject_ref`` is, for an event
    that does not name them: an earlier event did (`ownership`), and the consumer looks them
    up from what it recorded then."""

    subject_ref: str


@dataclass(frozen=True)
class OfficersRecipient:
    """Every officer holding one of ``roles``."""

    roles: frozenset[Role]


Recipient = CitizenRecipient | SubjectOwner | OfficersRecipient


@dataclass(frozen=True)
class NoticeDraft:
    kind: NoticeKind
    recipient: Recipient
    params: NoticeParams
    urgent: bool
    """May reach the person in their quiet hours: it cannot wait until morning."""
    subject_ref: str
    """What it is about (``application:<id>``, ``invoice:<id>``, ...): for grouping a
    citizen's notices and for the app's link to the record."""


@dataclass(frozen=True)
class Ownership:
    """An event naming the citizen a subject belongs to."""

    subject_ref: str
    account_id: uuid.UUID


def application(application_id: uuid.UUID) -> str:
    return f"application:{application_id}"


def invoice(invoice_id: uuid.UUID) -> str:
    return f"invoice:{invoice_id}"


def booking(booking_id: uuid.UUID) -> str:
    return f"booking:{booking_id}"


def registration(registration_id: uuid.UUID) -> str:
    return f"registration:{registration_id}"


def announcement(announcement_id: uuid.UUID) -> str:
    return f"announcement:{announcement_id}"


def _citizen(account_id: str) -> CitizenRecipient | None:
    """The account an event names; None for a payer id that is no Kota LIVE account (an
    agency may bill someone by its own reference): nobody in the app to tell."""
    try:
        return CitizenRecipient(uuid.UUID(account_id))
    except ValueError:
        return None


PERMITS_OFFICERS = OfficersRecipient(frozenset({Role.PERMITS_OFFICER}))
OPERATORS = OfficersRecipient(frozenset({Role.CITY_ADMIN}))
"""Who runs the suite: the city's administrators hear when a part of it is down or behind."""


# What each notice's templates print, per event.


def _submitted(event: ApplicationSubmittedV2) -> NoticeParams:
    return {
        "permit_type": event.permit_type,
        "resubmission": event.resubmission,
        "submitted_at": event.submitted_at.isoformat(),
        "deadline_at": event.deadline_at.isoformat(),
    }


def _revision_requested(event: RevisionRequested) -> NoticeParams:
    return {
        "permit_type": event.permit_type,
        "note": redact(event.note),
        "requested_at": event.requested_at.isoformat(),
    }


def _approved(event: ApplicationApproved) -> NoticeParams:
    return {
        "permit_type": event.permit_type,
        "permit_type_name": event.permit_type_name,
        "fee_amount": event.fee_amount,
        "deemed": event.deemed,
        "approved_at": event.approved_at.isoformat(),
    }


def _rejected(event: ApplicationRejected) -> NoticeParams:
    return {
        "permit_type": event.permit_type,
        "reason": redact(event.reason),
        "rejected_at": event.rejected_at.isoformat(),
    }


def _issued(event: PermitIssuedV2) -> NoticeParams:
    return {
        "permit_type": event.permit_type,
        "permit_number": event.number,
        "issued_at": event.issued_at.isoformat(),
        "valid_until": event.valid_until.isoformat() if event.valid_until else None,
        "verification_url": event.verification_url,
    }


def _deadline_passed(event: DeadlinePassed) -> NoticeParams:
    return {
        "permit_type": event.permit_type,
        "stage": event.stage,
        "deadline_at": event.deadline_at.isoformat(),
        "policy": event.policy,
    }


def _invoice_opened(event: InvoiceCreated) -> NoticeParams:
    """The notice and its reminder: how to pay (VA number, or QRIS in the app) and by when."""
    return {
        "invoice_number": event.number,
        "purpose": event.source,
        "amount": event.amount,
        "va_number": event.va_number,
        "due_at": event.due_at.isoformat(),
    }


def _invoice_paid(event: InvoicePaid) -> NoticeParams:
    return {
        "invoice_number": event.number,
        "purpose": event.source,
        "amount": event.amount,
        "channel": event.channel,
        "paid_at": event.paid_at.isoformat(),
    }


def _invoice_expired(event: InvoiceExpired) -> NoticeParams:
    return {
        "purpose": event.source,
        "amount": event.amount,
        "expired_at": event.expired_at.isoformat(),
    }


def _refunded(event: RefundIssued) -> NoticeParams:
    return {
        "purpose": event.source,
        "amount": event.amount,
        "reason": redact(event.reason),
        "refunded_at": event.refunded_at.isoformat(),
    }


def _booked(event: AppointmentBookedV2) -> NoticeParams:
    """The confirmation and the reminder the day before: where, which service, which number."""
    return {
        "facility_code": event.facility_code,
        "service_code": event.service_code,
        "visit_date": event.visit_date.isoformat(),
        "queue_label": event.queue_label,
        "queue_number": event.queue_number,
    }


def _booking_cancelled(event: AppointmentCancelled) -> NoticeParams:
    return {
        "facility_code": event.facility_code,
        "service_code": event.service_code,
        "visit_date": event.visit_date.isoformat(),
        "queue_number": event.queue_number,
    }


def _registration(event: RegistrationSubmittedV2 | RegistrationWithdrawn) -> NoticeParams:
    return {
        "school_npsn": event.school_npsn,
        "level": event.level.value,
        "pathway": event.pathway.value,
        "admission_year": event.admission_year,
    }


def _deadline_alert(event: DeadlineAtRisk | DeadlineBreached) -> NoticeParams:
    return {
        "application_id": str(event.application_id),
        "permit_type": event.permit_type,
        "kecamatan_code": event.kecamatan_code,
        "stage": event.stage,
        "started_at": event.started_at.isoformat(),
        "due_at": event.due_at.isoformat(),
    }


def _service_not_ready(event: ServiceNotReady) -> NoticeParams:
    return {
        "service": event.service,
        "not_ready_since": event.not_ready_since.isoformat(),
        "detail": redact(event.detail) if event.detail else None,
    }


def _consumer_lagging(event: ConsumerLagging) -> NoticeParams:
    return {
        "consumer_group": event.consumer_group,
        "lag": event.lag,
        "threshold": event.threshold,
        "lagging_since": event.lagging_since.isoformat(),
    }


def _dead_letters(event: DeadLetterWritten) -> NoticeParams:
    return {
        "dead_letter_topic": event.dead_letter_topic,
        "written": event.written,
        "new": event.new,
    }


E = TypeVar("E", bound=EventData)


@dataclass(frozen=True)
class _Row(Generic[E]):
    event: type[E]
    kind: NoticeKind
    to: Callable[[E], Recipient | None]
    about: Callable[[E], str]
    says: Callable[[E], NoticeParams]
    urgent: bool = False

    def draft(self, event: E) -> NoticeDraft | None:
        recipient = self.to(event)
        if recipient is None:
            return None
        return NoticeDraft(
            kind=self.kind,
            recipient=recipient,
            params=self.says(event),
            urgent=self.urgent,
            subject_ref=self.about(event),
        )


# Permits, health and education publish v2 of a submission, an issued permit, a booking and
# a registration beside v1: the notice comes from v2 alone, so a citizen is told once.
_NOTICES = (
    _Row(
        ApplicationSubmittedV2,
        NoticeKind.PERMIT_SUBMITTED,
        to=lambda e: _citizen(e.applicant_id),
        about=lambda e: application(e.application_id),
        says=_submitted,
    ),
    _Row(
        RevisionRequested,
        NoticeKind.PERMIT_REVISION_REQUESTED,
        to=lambda e: _citizen(e.applicant_id),
        about=lambda e: application(e.application_id),
        says=_revision_requested,
    ),
    _Row(
        ApplicationApproved,
        NoticeKind.PERMIT_APPROVED,
        to=lambda e: _citizen(e.applicant_id),
        about=lambda e: application(e.application_id),
        says=_approved,
    ),
    _Row(
        ApplicationRejected,
        NoticeKind.PERMIT_REJECTED,
        to=lambda e: _citizen(e.applicant_id),
        about=lambda e: application(e.application_id),
        says=_rejected,
    ),
    _Row(
        PermitIssuedV2,
        NoticeKind.PERMIT_ISSUED,
        to=lambda e: _citizen(e.applicant_id),
        about=lambda e: application(e.application_id),
        says=_issued,
    ),
    _Row(
        DeadlinePassed,
        NoticeKind.PERMIT_DEADLINE_PASSED,
        to=lambda e: SubjectOwner(application(e.application_id)),
        about=lambda e: application(e.application_id),
        says=_deadline_passed,
    ),
    _Row(
        InvoiceCreated,
        NoticeKind.INVOICE_OPENED,
        to=lambda e: _citizen(e.payer_id),
        about=lambda e: invoice(e.invoice_id),
        says=_invoice_opened,
    ),
    _Row(
        InvoicePaid,
        NoticeKind.INVOICE_PAID,
        to=lambda e: _citizen(e.payer_id),
        about=lambda e: invoice(e.invoice_id),
        says=_invoice_paid,
    ),
    _Row(
        InvoiceExpired,
        NoticeKind.INVOICE_EXPIRED,
        to=lambda e: _citizen(e.payer_id),
        about=lambda e: invoice(e.invoice_id),
        says=_invoice_expired,
    ),
    _Row(
        RefundIssued,
        NoticeKind.INVOICE_REFUNDED,
        to=lambda e: _citizen(e.payer_id),
        about=lambda e: invoice(e.invoice_id),
        says=_refunded,
    ),
    _Row(
        AppointmentBookedV2,
        NoticeKind.BOOKING_CONFIRMED,
        to=lambda e: _citizen(e.citizen_id),
        about=lambda e: booking(e.booking_id),
        says=_booked,
    ),
    _Row(
        AppointmentCancelled,
        NoticeKind.BOOKING_CANCELLED,
        to=lambda e: SubjectOwner(booking(e.booking_id)),
        about=lambda e: booking(e.booking_id),
        says=_booking_cancelled,
    ),
    _Row(
        RegistrationSubmittedV2,
        NoticeKind.REGISTRATION_SUBMITTED,
        to=lambda e: _citizen(e.parent_id),
        about=lambda e: registration(e.registration_id),
        says=_registration,
    ),
    _Row(
        RegistrationWithdrawn,
        NoticeKind.REGISTRATION_WITHDRAWN,
        to=lambda e: SubjectOwner(registration(e.registration_id)),
        about=lambda e: registration(e.registration_id),
        says=_registration,
    ),
    _Row(
        DeadlineAtRisk,
        NoticeKind.ALERT_DEADLINE_AT_RISK,
        to=lambda e: PERMITS_OFFICERS,
        about=lambda e: application(e.application_id),
        says=_deadline_alert,
    ),
    _Row(
        DeadlineBreached,
        NoticeKind.ALERT_DEADLINE_BREACHED,
        to=lambda e: PERMITS_OFFICERS,
        about=lambda e: application(e.application_id),
        says=_deadline_alert,
    ),
    _Row(
        ServiceNotReady,
        NoticeKind.ALERT_SERVICE_NOT_READY,
        to=lambda e: OPERATORS,
        about=lambda e: f"service:{e.service}",
        says=_service_not_ready,
        urgent=True,
    ),
    _Row(
        ConsumerLagging,
        NoticeKind.ALERT_CONSUMER_LAGGING,
        to=lambda e: OPERATORS,
        about=lambda e: f"consumer_group:{e.consumer_group}",
        says=_consumer_lagging,
        urgent=True,
    ),
    _Row(
        DeadLetterWritten,
        NoticeKind.ALERT_DEAD_LETTER,
        to=lambda e: OPERATORS,
        about=lambda e: f"topic:{e.dead_letter_topic}",
        says=_dead_letters,
        urgent=True,
    ),
)

_REMINDERS = (
    # Two days before the invoice is due (unless it was paid meanwhile).
    _Row(
        InvoiceCreated,
        NoticeKind.INVOICE_REMINDER,
        to=lambda e: _citizen(e.payer_id),
        about=lambda e: invoice(e.invoice_id),
        says=_invoice_opened,
    ),
    # The day before the visit (unless it was cancelled meanwhile).
    _Row(
        AppointmentBookedV2,
        NoticeKind.BOOKING_REMINDER,
        to=lambda e: _citizen(e.citizen_id),
        about=lambda e: booking(e.booking_id),
        says=_booked,
    ),
)


def _by_event(rows: tuple[_Row[Any], ...]) -> Mapping[type[EventData], tuple[_Row[Any], ...]]:
    table: dict[type[EventData], tuple[_Row[Any], ...]] = {}
    for row in rows:
        table[row.event] = (*table.get(row.event, ()), row)
    return table


_NOTICES_BY_EVENT = _by_event(_NOTICES)
_REMINDERS_BY_EVENT = _by_event(_REMINDERS)

NOTIFYING_EVENTS: tuple[type[EventData], ...] = tuple(_NOTICES_BY_EVENT)
"""The event types that give a notice: what the consumer subscribes to."""
REMINDING_EVENTS: tuple[type[EventData], ...] = tuple(_REMINDERS_BY_EVENT)
"""The event types that give a reminder to schedule."""


def _drafts(
    table: Mapping[type[EventData], tuple[_Row[Any], ...]], event: EventData | None
) -> list[NoticeDraft]:
    if event is None:
        return []
    drafted = (row.draft(event) for row in table.get(type(event), ()))
    return [draft for draft in drafted if draft is not None]


def draft_notices(event: EventData | None) -> list[NoticeDraft]:
    """The notices ``event`` gives now; none for an event that tells nobody anything (or an
    untyped one, ``None``, of a type this process has no model for)."""
    return _drafts(_NOTICES_BY_EVENT, event)


def draft_reminders(event: EventData | None) -> list[NoticeDraft]:
    """The reminders ``event`` asks for, to be sent later: an invoice's two days before it
    is due, a booking's the day before the visit. When to send them, and whether it still
    makes sense then (paid, cancelled), is the scheduler's to decide."""
    return _drafts(_REMINDERS_BY_EVENT, event)


def ownership(event: EventData | None) -> Ownership | None:
    """Whose application, invoice, booking or registration ``event`` names, for the notices
    of later events that do not (`SubjectOwner`)."""
    for row in () if event is None else _NOTICES_BY_EVENT.get(type(event), ()):
        recipient = row.to(event)
        if isinstance(recipient, CitizenRecipient):
            return Ownership(subject_ref=row.about(event), account_id=recipient.account_id)
    return None


def announcement_draft(
    *,
    announcement_id: uuid.UUID,
    title_id: str,
    body_id: str,
    title_en: str,
    body_en: str,
    recipient: Recipient,
    urgent: bool = False,
) -> NoticeDraft:
    """A city announcement for one recipient of its audience, as its officer wrote it.

    An announcement is public, so a phone number in it (a hotline) stays; a NIK or a
    family-card number pasted into it by mistake is masked like anywhere else.
    """

    def public(text: str) -> str:
        return redact(text, phone_numbers=False)

    return NoticeDraft(
        kind=NoticeKind.ANNOUNCEMENT,
        recipient=recipient,
        params={
            "title_id": public(title_id),
            "body_id": public(body_id),
            "title_en": public(title_en),
            "body_en": public(body_en),
        },
        urgent=urgent,
        subject_ref=announcement(announcement_id),
    )
