"""The catalogue of notices: every kind of thing the city tells a person, and the channels a
kind has templates for.

A kind's name is also the folder of its templates (``templates/<kind>/v<N>/``) and what a
notice stores, so a name is never reused for another meaning: a changed wording is a new
template version, a changed meaning a new kind.
"""

import enum
from collections.abc import Mapping
from typing import Literal


class NoticeKind(enum.StrEnum):
    # Permits: the applicant's side of the spine.
    PERMIT_SUBMITTED = "permit.submitted"
    PERMIT_REVISION_REQUESTED = "permit.revision_requested"
    PERMIT_APPROVED = "permit.approved"
    PERMIT_REJECTED = "permit.rejected"
    PERMIT_ISSUED = "permit.issued"
    PERMIT_DEADLINE_PASSED = "permit.deadline_passed"
    """The city did not decide in time; its officers hear of it by a monitoring alert."""
    # Payments: the payer's invoices.
    INVOICE_OPENED = "invoice.opened"
    INVOICE_REMINDER = "invoice.reminder"
    INVOICE_PAID = "invoice.paid"
    INVOICE_EXPIRED = "invoice.expired"
    INVOICE_REFUNDED = "invoice.refunded"
    # Health: clinic bookings.
    BOOKING_CONFIRMED = "booking.confirmed"
    BOOKING_REMINDER = "booking.reminder"
    BOOKING_CANCELLED = "booking.cancelled"
    # Education: school registrations, to the parent.
    REGISTRATION_SUBMITTED = "registration.submitted"
    REGISTRATION_WITHDRAWN = "registration.withdrawn"
    # An information officer's city announcement.
    ANNOUNCEMENT = "announcement"
    # Monitoring's alerts, to officers by role.
    ALERT_DEADLINE_AT_RISK = "alert.deadline_at_risk"
    ALERT_DEADLINE_BREACHED = "alert.deadline_breached"
    ALERT_SERVICE_NOT_READY = "alert.service_not_ready"
    ALERT_CONSUMER_LAGGING = "alert.consumer_lagging"
    ALERT_DEAD_LETTER = "alert.dead_letter"


NoticeParams = Mapping[str, str | int | bool | None]
"""What a notice's templates print: JSON values (instants and dates as ISO 8601 text, amounts
in whole rupiah), stored with the notice. Never a NIK, a family-card number, a name, a phone
number or a secret: the person's own records stay with the service that owns them."""

Channel = Literal["inbox", "sms", "whatsapp", "letter"]
"""How a notice reaches a person: the app's inbox (title and body), an SMS (one text), a
WhatsApp template message (a pre-approved template's name and its parameters), or a letter
printed at a kiosk for a citizen without a phone (title and body)."""

CHANNELS: tuple[Channel, ...] = ("inbox", "sms", "whatsapp", "letter")

OFFICERS_CHANNELS: tuple[Channel, ...] = ("inbox", "sms")
"""An alert reaches an officer at work or on call: no letter, and no WhatsApp template to have
approved for messages no citizen receives."""

ALERTS = frozenset(kind for kind in NoticeKind if kind.startswith("alert."))


def channels_of(kind: NoticeKind) -> tuple[Channel, ...]:
    """The channels ``kind`` has templates for (a test holds every template folder to it)."""
    return OFFICERS_CHANNELS if kind in ALERTS else CHANNELS
