"""Only the provider's signed receipts count: a forged, unsigned or stale one is refused with
a problem and changes nothing; a signed one that is not a receipt is a 422; one delivered
again, also several at once, changes nothing more."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from delivery_post import Citizen, Post
from standardwebhooks import Webhook

from kota_shared.testing.problems import assert_problem
from kota_shared.webhooks import signed_headers

FORGED_SECRET = "whsec_Zm9yZ2VkLXNlY3JldC1mb3ItdGVzdHMtMDEyMzQ1Ng=="
SIX_MINUTES = timedelta(minutes=6)
SMS_RECEIPTS = "/v1/information/receipts/sms"
WHATSAPP_RECEIPTS = "/v1/information/receipts/whatsapp"


def report(message: dict[str, Any], status: str = "UNDELIV") -> str:
    """An SMS delivery report about ``message`` (a message the simulator sent)."""
    return json.dumps(
        {
            "message_id": message["message_id"],
            "reference": message["reference"],
            "to": message["to"],
            "status": status,
            "error_code": "001",
            "done_at": datetime.now(UTC).isoformat(),
        }
    )


def signed(body: str, *, secret: str, sent_at: datetime | None = None) -> dict[str, str]:
    return signed_headers(
        Webhook(secret),
        webhook_id=f"msg_{uuid.uuid4().hex}",
        body=body,
        sent_at=sent_at or datetime.now(UTC),
    )


async def delivered_sms(post: Post) -> tuple[Citizen, uuid.UUID, dict[str, Any]]:
    citizen = await post.citizen(channels=["sms", "whatsapp"])
    notice_id = await post.notify(citizen)
    await post.until_statuses(citizen, notice_id, [("sms", "delivered")])
    (sent,) = await post.received(citizen)
    return citizen, notice_id, sent


@pytest.mark.parametrize(
    ("forge", "status", "code"),
    [
        (lambda body, _sim: signed(body, secret=FORGED_SECRET), 401, "invalid_callback_signature"),
        (
            lambda body, sim: signed(body, secret=sim.whatsapp_webhook_secret),
            401,
            "invalid_callback_signature",
        ),
        (
            lambda body, _sim: {"content-type": "application/json"},
            401,
            "invalid_callback_signature",
        ),
        (
            lambda body, sim: signed(
                body, secret=sim.sms_webhook_secret, sent_at=datetime.now(UTC) - SIX_MINUTES
            ),
            400,
            "callback_timestamp_out_of_range",
        ),
        (
            lambda body, sim: signed(
                body, secret=sim.sms_webhook_secret, sent_at=datetime.now(UTC) + SIX_MINUTES
            ),
            400,
            "callback_timestamp_out_of_range",
        ),
    ],
    ids=["forged", "another-providers-secret", "unsigned", "stale", "future"],
)
async def test_a_receipt_not_signed_now_by_the_provider_is_refused_and_changes_nothing(
    post: Post, forge: Any, status: int, code: str
) -> None:
    citizen, notice_id, sent = await delivered_sms(post)
    body = report(sent, "UNDELIV")

    answer = await post.information.post(
        SMS_RECEIPTS, content=body, headers=forge(body, post.simulator)
    )

    assert_problem(answer, status, code)
    assert await post.statuses(citizen, notice_id) == [("sms", "delivered")]


async def test_a_tampered_body_does_not_verify(post: Post) -> None:
    citizen, notice_id, sent = await delivered_sms(post)
    signed_for = signed(report(sent, "DELIVRD"), secret=post.simulator.sms_webhook_secret)

    answer = await post.information.post(
        SMS_RECEIPTS, content=report(sent, "UNDELIV"), headers=signed_for
    )

    assert_problem(answer, 401, "invalid_callback_signature")
    assert await post.statuses(citizen, notice_id) == [("sms", "delivered")]


@pytest.mark.parametrize(
    "body",
    ['{"message_id": "x", "status": "LOST"}', "[]", "not json", '{"object": "page"}'],
    ids=["unknown-status", "array", "not-json", "another-shape"],
)
async def test_a_signed_body_that_is_no_receipt_is_422(post: Post, body: str) -> None:
    sms_secret, whatsapp_secret = (
        post.simulator.sms_webhook_secret,
        post.simulator.whatsapp_webhook_secret,
    )
    answer = await post.information.post(
        SMS_RECEIPTS, content=body, headers=signed(body, secret=sms_secret)
    )
    whatsapp = await post.information.post(
        WHATSAPP_RECEIPTS, content=body, headers=signed(body, secret=whatsapp_secret)
    )

    assert_problem(answer, 422, "validation_failed")
    assert_problem(whatsapp, 422, "validation_failed")


async def test_a_receipt_for_no_message_of_ours_is_acknowledged_and_ignored(post: Post) -> None:
    body = report({"message_id": "nobody", "reference": "not-a-uuid", "to": "+6281299999999"})

    answer = await post.information.post(
        SMS_RECEIPTS, content=body, headers=signed(body, secret=post.simulator.sms_webhook_secret)
    )

    assert answer.status_code == 200, answer.text
    assert answer.json() == {"applied": 0, "unchanged": 0, "unknown": 1}


async def test_receipts_redelivered_at_once_change_nothing_more(post: Post) -> None:
    citizen = await post.citizen(channels=["whatsapp", "sms"])
    notice_id = await post.notify(citizen)
    await post.until_statuses(citizen, notice_id, [("whatsapp", "read")])
    (sent,) = await post.received(citizen)

    codes = await post.redeliver(sent["message_id"], times=5, concurrently=True)

    assert set(codes) == {200}
    assert await post.statuses(citizen, notice_id) == [("whatsapp", "read")]
    assert len(await post.received(citizen)) == 1


async def test_a_late_failure_report_does_not_undo_a_delivery(post: Post) -> None:
    """Signed by the provider, but older news than what is known: changes nothing."""
    citizen, notice_id, sent = await delivered_sms(post)
    body = report(sent, "UNDELIV")

    answer = await post.information.post(
        SMS_RECEIPTS, content=body, headers=signed(body, secret=post.simulator.sms_webhook_secret)
    )

    assert answer.status_code == 200, answer.text
    assert answer.json() == {"applied": 0, "unchanged": 1, "unknown": 0}
    assert await post.statuses(citizen, notice_id) == [("sms", "delivered")]
    assert len(await post.received(citizen)) == 1  # no fallback
