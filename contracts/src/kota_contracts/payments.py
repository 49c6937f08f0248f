"""Events the payments service publishes on ``payments.events`` (typed, versioned).

Keyed by invoice id. ``source`` names the service that asked for the invoice and
``source_reference`` its own id for it (``permits:application:<uuid>``), so that service
can find its record when the invoice is paid or expires.
"""

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from kota_shared.events.envelope import EventData

TOPIC = "payments.events"

Channel = Literal["va", "qris"]


class _PaymentsEvent(EventData):
    topic: ClassVar[str] = TOPIC


class InvoiceCreated(_PaymentsEvent):
    """An invoice was opened, with its payment channels."""

    event_type: ClassVar[str] = "payments.invoice.created.v1"

    invoice_id: uuid.UUID
    number: str
    payer_id: str
    source: str
    source_reference: str
    amount: int
    due_at: datetime
    va_number: str
    created_at: datetime


class InvoicePaid(_PaymentsEvent):
    event_type: ClassVar[str] = "payments.invoice.paid.v1"

    invoice_id: uuid.UUID
    number: str
    payer_id: str
    source: str
    source_reference: str
    amount: int
    channel: Channel
    provider_transaction_id: str
    paid_at: datetime


class InvoiceExpired(_PaymentsEvent):
    """Unpaid past its due date: the service that asked for it closes its record."""

    event_type: ClassVar[str] = "payments.invoice.expired.v1"

    invoice_id: uuid.UUID
    payer_id: str
    source: str
    source_reference: str
    amount: int
    expired_at: datetime


class InvoiceCancelled(_PaymentsEvent):
    event_type: ClassVar[str] = "payments.invoice.cancelled.v1"

    invoice_id: uuid.UUID
    source: str
    source_reference: str
    reason: str
    cancelled_at: datetime


class RefundIssued(_PaymentsEvent):
    """Money goes back to the payer: a finance officer's refund, or a payment that arrived
    after its invoice had closed."""

    event_type: ClassVar[str] = "payments.refund.issued.v1"

    refund_id: uuid.UUID
    invoice_id: uuid.UUID
    payer_id: str
    source: str
    source_reference: str
    amount: int
    reason: str
    refunded_at: datetime
    remaining_refundable: int
