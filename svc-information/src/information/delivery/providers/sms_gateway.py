"""A plain SMS gateway's HTTP API: ``POST /sms/v1/messages`` with ``{to, text, reference}``
and a bearer API key, answered ``{message_id, status, segments, encoding}``; one delivery
report (DLR) per message later, with SMPP's final states."""

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from information.delivery.providers import Accepted, InDoubt, Outgoing, Receipt, Refused, post
from information.delivery.statuses import MessageStatus
from information.preferences.models import Channel


class _Accepted(BaseModel):
    message_id: str
    segments: int | None = None


class _ErrorDetail(BaseModel):
    code: str


class _Error(BaseModel):
    error: _ErrorDetail


class DeliveryReport(BaseModel):
    """The DLR; fields the gateway may add later are ignored, not refused."""

    model_config = ConfigDict(extra="ignore")

    message_id: str
    reference: str | None = None
    status: Literal["DELIVRD", "UNDELIV", "EXPIRED", "REJECTD"]
    error_code: str | None = None
    done_at: datetime | None = None


REPORTED: dict[str, MessageStatus] = {
    "DELIVRD": MessageStatus.DELIVERED,
    "UNDELIV": MessageStatus.PERMANENT_FAILURE,  # no such subscriber
    "REJECTD": MessageStatus.PERMANENT_FAILURE,  # the network will not take it (a landline)
    "EXPIRED": MessageStatus.TEMPORARY_FAILURE,  # the phone stayed off past the validity
}


class SmsGateway:
    channel = Channel.SMS

    def __init__(
        self, *, http: httpx.AsyncClient, base_url: str, api_key: str, timeout_seconds: float
    ) -> None:
        self._http = http
        self._url = base_url.rstrip("/") + "/sms/v1/messages"
        self._api_key = api_key
        self._timeout = timeout_seconds

    async def send(self, message: Outgoing) -> Accepted:
        response = await post(
            self._http,
            self._url,
            json={"to": message.to, "text": message.rendered.body, "reference": message.reference},
            token=self._api_key,
            timeout_seconds=self._timeout,
            channel=self.channel,
        )
        if response.is_success:
            try:
                accepted = _Accepted.model_validate_json(response.content)
            except ValidationError:
                # Taken (a 2xx) without an id we can read: its receipt will name it.
                raise InDoubt("unreadable_answer") from None
            return Accepted(provider_message_id=accepted.message_id, segments=accepted.segments)
        raise Refused(_error_code(response))

    def read_receipts(self, body: bytes) -> Sequence[Receipt]:
        report = DeliveryReport.model_validate_json(body)
        return [
            Receipt(
                provider_message_id=report.message_id,
                reference=report.reference,
                status=REPORTED[report.status],
                error_code=None
                if report.status == "DELIVRD"
                else f"{report.status}:{report.error_code}",
            )
        ]


def _error_code(response: httpx.Response) -> str:
    try:
        return _Error.model_validate_json(response.content).error.code
    except ValidationError:
        return f"http_{response.status_code}"
