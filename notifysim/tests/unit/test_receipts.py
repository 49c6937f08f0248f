"""Which receipts a message gets, and their bodies, in each provider's shape."""

import json
from datetime import UTC, datetime

import pytest

from kota_notifysim.controls import Behaviour, Fate
from kota_notifysim.inbox import Message, TemplateSent
from kota_notifysim.receipts import (
    BusinessNumber,
    sms_plan,
    sms_report,
    whatsapp_plan,
    whatsapp_status,
)

AT = datetime(2025, 5, 2, 3, 4, 5, tzinfo=UTC)
BUSINESS = BusinessNumber("109876543210000", "109876543210001", "6281299990000")


@pytest.mark.parametrize(
    ("fate", "mobile", "plan"),
    [
        ("delivered", True, ("DELIVRD",)),
        ("delivered", False, ("REJECTD",)),
        ("permanent_failure", True, ("UNDELIV",)),
        ("temporary_failure", True, ("EXPIRED",)),
    ],
)
def test_an_sms_gets_one_final_report(fate: Fate, mobile: bool, plan: tuple[str, ...]) -> None:
    assert sms_plan(Behaviour(fate=fate), mobile=mobile) == plan


@pytest.mark.parametrize(
    ("behaviour", "plan"),
    [
        (Behaviour(), ("sent", "delivered", "read")),
        (Behaviour(read=False), ("sent", "delivered")),
        (Behaviour(fate="permanent_failure"), ("failed",)),
        (Behaviour(fate="temporary_failure"), ("failed",)),
    ],
)
def test_a_whatsapp_message_gets_metas_statuses_in_order(
    behaviour: Behaviour, plan: tuple[str, ...]
) -> None:
    assert whatsapp_plan(behaviour) == plan


def sms(**fields: object) -> Message:
    defaults: dict[str, object] = {
        "message_id": "5f0c",
        "channel": "sms",
        "to": "+6281234567890",
        "accepted_at": AT,
        "text": "Halo",
        "reference": "notice-1",
    }
    return Message(**(defaults | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "code"),
    [("DELIVRD", "000"), ("UNDELIV", "001"), ("EXPIRED", "027"), ("REJECTD", "011")],
)
def test_a_delivery_report_carries_smpp_status_and_error(status: str, code: str) -> None:
    report = json.loads(sms_report(sms(), status, done_at=AT))

    assert report == {
        "message_id": "5f0c",
        "reference": "notice-1",
        "to": "+6281234567890",
        "status": status,
        "error_code": code,
        "done_at": "2025-05-02T03:04:05Z",
    }


def whatsapp(fate: str = "delivered", reference: str | None = "notice-2") -> Message:
    return Message(
        message_id="wamid.abc",
        channel="whatsapp",
        to="+6281234567890",
        accepted_at=AT,
        text=None,
        reference=reference,
        template=TemplateSent("izin_disetujui", "id", ("Budi",)),
        fate=fate,
    )


def test_a_status_webhook_is_metas_shape() -> None:
    body = json.loads(whatsapp_status(whatsapp(), "delivered", at=AT, business=BUSINESS))

    assert body == {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "109876543210000",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "6281299990000",
                                "phone_number_id": "109876543210001",
                            },
                            "statuses": [
                                {
                                    "id": "wamid.abc",
                                    "status": "delivered",
                                    "timestamp": str(int(AT.timestamp())),
                                    "recipient_id": "6281234567890",
                                    "biz_opaque_callback_data": "notice-2",
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


@pytest.mark.parametrize(
    ("fate", "code"), [("permanent_failure", 131026), ("temporary_failure", 131049)]
)
def test_a_failed_status_carries_metas_error(fate: str, code: int) -> None:
    body = json.loads(
        whatsapp_status(whatsapp(fate, reference=None), "failed", at=AT, business=BUSINESS)
    )

    (status,) = body["entry"][0]["changes"][0]["value"]["statuses"]
    assert status["status"] == "failed"
    assert "biz_opaque_callback_data" not in status  # left out, as Meta leaves it out
    (error,) = status["errors"]
    assert error["code"] == code
    assert error["title"]
    assert error["message"]
    assert error["error_data"]["details"]
    assert error["href"].startswith("https://developers.facebook.com/")
