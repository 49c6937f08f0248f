"""The providers' receipts read into our statuses, without any I/O: SMPP's final states, and
Meta's statuses with the errors that make a failure permanent or temporary."""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from information.delivery.providers.sms_gateway import SmsGateway
from information.delivery.providers.whatsapp_cloud import WhatsAppCloud
from information.delivery.statuses import MessageStatus


@pytest.fixture(scope="module")
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:  # never used: reading receipts is no I/O
        yield client


@pytest.fixture
def sms(http: httpx.AsyncClient) -> SmsGateway:
    return SmsGateway(http=http, base_url="http://sms", api_key="k", timeout_seconds=1)


@pytest.fixture
def whatsapp(http: httpx.AsyncClient) -> WhatsAppCloud:
    return WhatsAppCloud(
        http=http,
        base_url="http://graph",
        api_version="v23.0",
        phone_number_id="1",
        access_token="t",
        timeout_seconds=1,
    )


@pytest.mark.parametrize(
    ("reported", "status", "error"),
    [
        ("DELIVRD", MessageStatus.DELIVERED, None),
        ("UNDELIV", MessageStatus.PERMANENT_FAILURE, "UNDELIV:001"),
        ("REJECTD", MessageStatus.PERMANENT_FAILURE, "REJECTD:001"),
        ("EXPIRED", MessageStatus.TEMPORARY_FAILURE, "EXPIRED:001"),
    ],
)
def test_an_sms_delivery_report(
    sms: SmsGateway, reported: str, status: MessageStatus, error: str | None
) -> None:
    body = {
        "message_id": "m-1",
        "reference": "ref",
        "to": "+6281234567890",
        "status": reported,
        "error_code": "001",
        "done_at": "2026-03-05T10:00:00Z",
        "network": "a field the gateway added later",
    }

    (receipt,) = sms.read_receipts(json.dumps(body).encode())

    assert (receipt.provider_message_id, receipt.reference) == ("m-1", "ref")
    assert (receipt.status, receipt.error_code) == (status, error)


def statuses(*statuses: dict[str, Any]) -> bytes:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281299990000", "phone_number_id": "1"},
        "statuses": list(statuses),
    }
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "9", "changes": [{"value": value, "field": "messages"}]}],
        }
    ).encode()


def status(name: str, *, code: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": "wamid.1",
        "status": name,
        "timestamp": "1772700000",
        "recipient_id": "6281234567890",
        "biz_opaque_callback_data": "ref",
    }
    if code is not None:
        found["errors"] = [{"code": code, "title": "t", "message": "m", "error_data": {}}]
    return found


@pytest.mark.parametrize(
    ("reported", "code", "becomes"),
    [
        ("sent", None, MessageStatus.SENDING),
        ("delivered", None, MessageStatus.DELIVERED),
        ("read", None, MessageStatus.READ),
        ("failed", 131026, MessageStatus.PERMANENT_FAILURE),  # not a WhatsApp number
        ("failed", 132001, MessageStatus.PERMANENT_FAILURE),  # no such template
        ("failed", 131049, MessageStatus.TEMPORARY_FAILURE),  # held for healthy engagement
        ("failed", None, MessageStatus.PERMANENT_FAILURE),
    ],
)
def test_a_whatsapp_status(
    whatsapp: WhatsAppCloud, reported: str, code: int | None, becomes: MessageStatus
) -> None:
    (receipt,) = whatsapp.read_receipts(statuses(status(reported, code=code)))

    assert (receipt.provider_message_id, receipt.reference) == ("wamid.1", "ref")
    assert receipt.status is becomes
    assert receipt.error_code == (None if reported != "failed" else f"whatsapp:{code}")


def test_a_webhook_with_several_statuses_gives_each_and_one_without_any_gives_none(
    whatsapp: WhatsAppCloud,
) -> None:
    both = whatsapp.read_receipts(statuses(status("sent"), status("delivered")))
    incoming = whatsapp.read_receipts(statuses())

    assert [r.status for r in both] == [MessageStatus.SENDING, MessageStatus.DELIVERED]
    assert incoming == []


@pytest.mark.parametrize(
    "body",
    [b"{}", b"[]", b"not json", b'{"object": "page", "entry": []}'],
)
def test_what_is_no_receipt_is_a_validation_error(
    sms: SmsGateway, whatsapp: WhatsAppCloud, body: bytes
) -> None:
    with pytest.raises(ValidationError):
        whatsapp.read_receipts(body)
    with pytest.raises(ValidationError):
        sms.read_receipts(body)
