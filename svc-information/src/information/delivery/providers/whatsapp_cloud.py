"""WhatsApp Cloud API template messages: ``POST /{version}/{phone_number_id}/messages`` with
a pre-approved template's name, language and body parameters, answered
``{"messages": [{"id": "wamid..."}]}``; status webhooks (``sent``, ``delivered``, ``read``,
``failed``) in Meta's shape later. Our message id travels as ``biz_opaque_callback_data``,
which Meta repeats in every status."""

from collections.abc import Sequence
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from information.delivery.providers import (
    Accepted,
    InDoubt,
    Outgoing,
    Receipt,
    Refused,
    Unavailable,
    post,
)
from information.delivery.statuses import MessageStatus
from information.preferences.models import Channel

RETRYABLE_ERRORS = frozenset(
    {
        1,  # API unknown
        2,  # API service: temporarily down
        4,  # API too many calls
        80007,  # rate limit reached
        130429,  # throughput limit reached
        131000,  # something went wrong
        131016,  # service unavailable
        131048,  # spam rate limit hit
        131056,  # too many messages to one number in a short time
        133004,  # server temporarily unavailable
    }
)
"""Graph API errors that come with a 400 yet pass by themselves (Meta's error-code list)."""
TEMPORARY_FAILURES = frozenset({131049, 131016, 131000})
"""A ``failed`` status with these errors may succeed another time (a hold for healthy
engagement, trouble on Meta's side): a temporary failure, not a permanent one."""


class _SentMessage(BaseModel):
    id: str


class _Sent(BaseModel):
    messages: list[_SentMessage] = Field(min_length=1)


class _GraphErrorDetail(BaseModel):
    code: int


class _GraphError(BaseModel):
    error: _GraphErrorDetail


class _Ignoring(BaseModel):
    """Meta adds fields to its webhooks over time: ignored, never refused."""

    model_config = ConfigDict(extra="ignore")


class StatusError(_Ignoring):
    code: int


class Status(_Ignoring):
    id: str
    status: Literal["sent", "delivered", "read", "failed"]
    biz_opaque_callback_data: str | None = None
    errors: list[StatusError] | None = None


class ChangeValue(_Ignoring):
    statuses: list[Status] = Field(default_factory=list)
    """Absent from a webhook about an incoming message, which carries nothing for us."""


class Change(_Ignoring):
    value: ChangeValue


class Entry(_Ignoring):
    changes: list[Change]


class StatusWebhook(_Ignoring):
    object: Literal["whatsapp_business_account"]
    entry: list[Entry]


REPORTED: dict[str, MessageStatus] = {
    "sent": MessageStatus.SENDING,  # on Meta's servers, not yet on the phone
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.READ,
}


def _receipt(status: Status) -> Receipt:
    if status.status != "failed":
        reported, error = REPORTED[status.status], None
    else:
        code = status.errors[0].code if status.errors else None
        temporary = code in TEMPORARY_FAILURES
        reported = MessageStatus.TEMPORARY_FAILURE if temporary else MessageStatus.PERMANENT_FAILURE
        error = f"whatsapp:{code}"
    return Receipt(
        provider_message_id=status.id,
        reference=status.biz_opaque_callback_data,
        status=reported,
        error_code=error,
    )


class WhatsAppCloud:
    channel = Channel.WHATSAPP

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        base_url: str,
        api_version: str,
        phone_number_id: str,
        access_token: str,
        timeout_seconds: float,
    ) -> None:
        self._http = http
        self._url = f"{base_url.rstrip('/')}/{api_version}/{phone_number_id}/messages"
        self._token = access_token
        self._timeout = timeout_seconds

    async def send(self, message: Outgoing) -> Accepted:
        template = message.rendered.whatsapp
        if template is None:
            raise Refused("not_a_whatsapp_template")
        body: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.to.removeprefix("+"),
            "type": "template",
            "template": {
                "name": template.template_name,
                "language": {"code": template.language, "policy": "deterministic"},
                "components": [
                    {
                        "type": "body",
                        "parameters": [{"type": "text", "text": p} for p in template.parameters],
                    }
                ],
            },
            "biz_opaque_callback_data": message.reference,
        }
        response = await post(
            self._http,
            self._url,
            json=body,
            token=self._token,
            timeout_seconds=self._timeout,
            channel=self.channel,
        )
        if response.is_success:
            try:
                sent = _Sent.model_validate_json(response.content)
            except ValidationError:
                raise InDoubt("unreadable_answer") from None  # taken; its status names it
            return Accepted(provider_message_id=sent.messages[0].id)
        code = _error_code(response)
        if code in RETRYABLE_ERRORS:
            raise Unavailable(f"whatsapp:{code}")
        raise Refused(f"whatsapp:{code}" if code is not None else f"http_{response.status_code}")

    def read_receipts(self, body: bytes) -> Sequence[Receipt]:
        webhook = StatusWebhook.model_validate_json(body)
        return [
            _receipt(status)
            for entry in webhook.entry
            for change in entry.changes
            for status in change.value.statuses
        ]


def _error_code(response: httpx.Response) -> int | None:
    try:
        return _GraphError.model_validate_json(response.content).error.code
    except ValidationError:
        return None
