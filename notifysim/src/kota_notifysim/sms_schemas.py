"""The SMS gateway's wire shapes: a send, its answer, its errors and its delivery report.

Spelled out field by field, because they are what a client adapter is written against.
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from kota_shared.sms import Encoding

ReportStatus = Literal["DELIVRD", "UNDELIV", "EXPIRED", "REJECTD"]
"""The SMSC's final word (SMPP's ``stat``): delivered; undeliverable for good (no such
subscriber); expired (the phone stayed off or out of reach past the validity period);
rejected by the network (here: the number is not a mobile number)."""

MAX_TEXT_CHARS = 5_000
"""Beyond any text the segment limit allows: read no further before refusing."""


class SmsCreate(BaseModel):
    to: str = Field(max_length=32, examples=["+6281234567890"])
    """International form, ``+`` optional: ``+6281234567890`` or ``6281234567890``."""
    text: str = Field(max_length=MAX_TEXT_CHARS)
    reference: str | None = Field(default=None, min_length=1, max_length=100)
    """The client's own id for the message, repeated in its delivery report."""


class SmsAccepted(BaseModel):
    message_id: str
    status: Literal["accepted"] = "accepted"
    segments: int
    encoding: Encoding


class SmsErrorDetail(BaseModel):
    code: str
    message: str


class SmsError(BaseModel):
    """Every refusal: ``{"error": {"code": "invalid_number", "message": "..."}}``."""

    error: SmsErrorDetail


class DeliveryReport(BaseModel):
    """The DLR POSTed to the SMS receipt URL once per accepted message, signed per
    Standard Webhooks. ``error_code`` is SMPP's ``err``: ``000`` delivered, ``001``
    unknown subscriber, ``027`` absent subscriber, ``011`` not a mobile number."""

    message_id: str
    reference: str | None
    to: str
    status: ReportStatus
    error_code: str
    done_at: datetime
