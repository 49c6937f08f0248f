"""Which receipts a message gets, and their bodies in each provider's shape.

An SMS gets one delivery report, its final state. A WhatsApp message gets Meta's statuses
in order, each its own webhook: ``sent``, ``delivered``, then ``read`` if the citizen reads
it; or a single ``failed`` with Meta's error.
"""

from dataclasses import dataclass
from datetime import datetime

from kota_notifysim.controls import Behaviour
from kota_notifysim.inbox import Message
from kota_notifysim.sms_schemas import DeliveryReport, ReportStatus
from kota_notifysim.whatsapp_schemas import (
    Change,
    ChangeValue,
    Entry,
    Metadata,
    Status,
    StatusError,
    StatusWebhook,
)

SMS_ERROR_CODES: dict[str, str] = {
    "DELIVRD": "000",
    "UNDELIV": "001",  # unknown subscriber
    "EXPIRED": "027",  # absent subscriber
    "REJECTD": "011",  # teleservice not provisioned: not a mobile number
}


@dataclass(frozen=True)
class WhatsAppFailure:
    code: int
    title: str
    details: str


WHATSAPP_FAILURES = {
    "permanent_failure": WhatsAppFailure(
        131026,
        "Message undeliverable",
        "Unable to deliver message: the number is not a WhatsApp account.",
    ),
    "temporary_failure": WhatsAppFailure(
        131049,
        "This message was not delivered to maintain healthy ecosystem engagement.",
        "In order to maintain a healthy ecosystem engagement, the message failed to be "
        "delivered. Try again later.",
    ),
}
"""Meta's errors for a number that cannot receive WhatsApp, and for one to try later."""


def sms_plan(behaviour: Behaviour, *, mobile: bool) -> tuple[ReportStatus, ...]:
    if behaviour.fate == "permanent_failure":
        return ("UNDELIV",)
    if behaviour.fate == "temporary_failure":
        return ("EXPIRED",)
    return ("DELIVRD",) if mobile else ("REJECTD",)


def whatsapp_plan(behaviour: Behaviour) -> tuple[str, ...]:
    if behaviour.fate in WHATSAPP_FAILURES:
        return ("failed",)
    return ("sent", "delivered", "read") if behaviour.read else ("sent", "delivered")


def sms_report(message: Message, status: str, *, done_at: datetime) -> str:
    report = DeliveryReport.model_validate(
        {
            "message_id": message.message_id,
            "reference": message.reference,
            "to": message.to,
            "status": status,
            "error_code": SMS_ERROR_CODES[status],
            "done_at": done_at,
        }
    )
    return report.model_dump_json()


@dataclass(frozen=True)
class BusinessNumber:
    """The business's WhatsApp number, which every status webhook names."""

    business_account_id: str
    phone_number_id: str
    display_phone_number: str


def whatsapp_status(
    message: Message, status: str, *, at: datetime, business: BusinessNumber
) -> str:
    errors = None
    if status == "failed":
        failure = WHATSAPP_FAILURES[message.fate]
        errors = [
            StatusError(
                code=failure.code,
                title=failure.title,
                message=failure.title,
                error_data={"details": failure.details},
            )
        ]
    value = ChangeValue(
        metadata=Metadata(
            display_phone_number=business.display_phone_number,
            phone_number_id=business.phone_number_id,
        ),
        statuses=[
            Status.model_validate(
                {
                    "id": message.message_id,
                    "status": status,
                    "timestamp": str(int(at.timestamp())),
                    "recipient_id": message.to.removeprefix("+"),
                    "biz_opaque_callback_data": message.reference,
                    "errors": errors,
                }
            )
        ],
    )
    webhook = StatusWebhook(
        entry=[Entry(id=business.business_account_id, changes=[Change(value=value)])]
    )
    return webhook.model_dump_json(exclude_none=True)
