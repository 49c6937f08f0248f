"""Verifying signed webhooks: exactly the signed bytes, any current secret, within 5 minutes."""

from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook

from kota_shared.webhook_verification import (
    CallbackTimestampOutOfRange,
    CallbackVerifier,
    InvalidCallbackSignature,
)
from kota_shared.webhooks import signed_headers

CURRENT = "whsec_Y3VycmVudC1wcm92aWRlci1zZWNyZXQtMDEyMzQ1Ng=="
PREVIOUS = "whsec_cHJldmlvdXMtcHJvdmlkZXItc2VjcmV0LTAxMjM0NQ=="
FORGED = "whsec_Zm9yZ2VkLXNlY3JldC1mb3ItdGVzdHMtMDEyMzQ1Ng=="
BODY = '{"message_id":"m-1","status":"DELIVRD"}'
NOW = datetime.now(UTC)


def headers(secret: str, *, body: str = BODY, sent_at: datetime = NOW) -> dict[str, str]:
    return signed_headers(Webhook(secret), webhook_id="msg_1", body=body, sent_at=sent_at)


VERIFIER = CallbackVerifier([CURRENT, PREVIOUS])


def test_the_current_and_the_previous_secret_verify() -> None:
    VERIFIER.verify(BODY.encode(), headers(CURRENT), now=NOW)
    VERIFIER.verify(BODY.encode(), headers(PREVIOUS), now=NOW)


@pytest.mark.parametrize(
    "sent",
    [
        headers(FORGED),
        headers(CURRENT, body='{"message_id":"m-2","status":"DELIVRD"}'),  # another body's
        {"webhook-id": "msg_1", "webhook-timestamp": str(int(NOW.timestamp()))},  # unsigned
        {},
        {**headers(CURRENT), "webhook-timestamp": "soon"},
    ],
    ids=["forged", "tampered", "unsigned", "bare", "bad-timestamp"],
)
def test_anything_else_is_401(sent: dict[str, str]) -> None:
    with pytest.raises(InvalidCallbackSignature):
        VERIFIER.verify(BODY.encode(), sent, now=NOW)


@pytest.mark.parametrize("off_by", [timedelta(minutes=-6), timedelta(minutes=6)])
def test_a_stale_or_future_timestamp_is_400_even_when_signed(off_by: timedelta) -> None:
    with pytest.raises(CallbackTimestampOutOfRange):
        VERIFIER.verify(BODY.encode(), headers(CURRENT, sent_at=NOW + off_by), now=NOW)


def test_header_names_are_read_in_any_case() -> None:
    shouting = {name.upper(): value for name, value in headers(CURRENT).items()}

    VERIFIER.verify(BODY.encode(), shouting, now=NOW)


def test_a_verifier_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="at least one"):
        CallbackVerifier([])
