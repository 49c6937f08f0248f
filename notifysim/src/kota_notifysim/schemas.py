"""What the simulator's own endpoints take and answer: its inbox and its controls."""

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, HttpUrl

from kota_notifysim.controls import Behaviour, Fate
from kota_notifysim.inbox import Channel, Message, Receipt
from kota_shared.webhooks import Outcome

Availability = Literal["up", "down"]


class AttemptRead(BaseModel):
    at: datetime
    outcome: Outcome
    status_code: int | None
    error: str | None


class ReceiptRead(BaseModel):
    webhook_id: str
    status: str
    body: dict[str, Any]
    """The JSON POSTed, as sent."""
    answered: bool
    """Acknowledged (2xx) or refused for good (4xx but 408 and 429): no more retries."""
    attempts: list[AttemptRead]

    @classmethod
    def of(cls, receipt: Receipt) -> "ReceiptRead":
        return cls(
            webhook_id=receipt.webhook_id,
            status=receipt.status,
            body=json.loads(receipt.body),
            answered=receipt.answered,
            attempts=[
                AttemptRead.model_validate(a, from_attributes=True) for a in receipt.attempts
            ],
        )


class TemplateSentRead(BaseModel):
    name: str
    language: str
    parameters: list[str]


class MessageRead(BaseModel):
    message_id: str
    channel: Channel
    to: str
    status: str
    """``accepted``, then the latest receipt's status: an SMS's ``DELIVRD``, ``UNDELIV``,
    ``EXPIRED`` or ``REJECTD``; WhatsApp's ``sent``, ``delivered``, ``read`` or ``failed``."""
    text: str | None
    """What the phone shows; for a WhatsApp template the simulator does not know, None
    (``template`` holds its parameters)."""
    template: TemplateSentRead | None
    reference: str | None
    segments: int | None
    encoding: str | None
    fate: Fate
    accepted_at: datetime
    receipts_due_at: datetime | None
    """When its receipts start; None when they are withheld."""
    planned_receipts: list[str]
    receipts: list[ReceiptRead]

    @classmethod
    def of(cls, message: Message) -> "MessageRead":
        template = message.template
        return cls.model_validate(
            {
                "message_id": message.message_id,
                "channel": message.channel,
                "to": message.to,
                "status": message.status,
                "text": message.text,
                "template": None
                if template is None
                else {
                    "name": template.name,
                    "language": template.language,
                    "parameters": list(template.parameters),
                },
                "reference": message.reference,
                "segments": message.segments,
                "encoding": message.encoding,
                "fate": message.fate,
                "accepted_at": message.accepted_at,
                "receipts_due_at": message.receipts_due_at,
                "planned_receipts": list(message.planned),
                "receipts": [ReceiptRead.of(r) for r in message.receipts],
            }
        )


class NumberControls(BaseModel):
    """How one number fares, on both channels, from the next send on."""

    fate: Fate = "delivered"
    read: bool = True
    receipt_delay_seconds: float | None = Field(default=None, ge=0, le=7 * 24 * 3600)
    withhold_receipts: bool = False
    times: int | None = Field(default=None, ge=1, le=1_000_000)

    def behaviour(self) -> Behaviour:
        return Behaviour(**self.model_dump())


class NumberControlsRead(NumberControls):
    number: str
    controlled: bool
    """False: no controls, the number fares as any other."""

    @classmethod
    def of(cls, number: str, behaviour: Behaviour | None) -> "NumberControlsRead":
        controls = NumberControls() if behaviour is None else NumberControls(**asdict(behaviour))
        return cls(number=number, controlled=behaviour is not None, **controls.model_dump())


class AvailabilityUpdate(BaseModel):
    """The channels to switch; one left out stays as it is."""

    sms: Availability | None = None
    whatsapp: Availability | None = None


class AvailabilityRead(BaseModel):
    sms: Availability
    whatsapp: Availability


class ReceiptUrlsUpdate(BaseModel):
    """The providers whose receipts go elsewhere; one left out keeps its URL."""

    sms_url: HttpUrl | None = None
    whatsapp_url: HttpUrl | None = None


class ReceiptUrlsRead(BaseModel):
    sms_url: str
    whatsapp_url: str


class RedeliveryCreate(BaseModel):
    times: int = Field(ge=1, le=20)
    concurrently: bool = False


class RedeliveryRead(BaseModel):
    message_id: str
    status_codes: list[int | None]
    """Each receipt's redeliveries in turn; null where no answer came."""
