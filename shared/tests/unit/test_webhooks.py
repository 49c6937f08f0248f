"""Signing and answer classification of outgoing webhooks, without any I/O."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from kota_shared.webhooks import outcome_of, signed_headers, usable_secret

SECRET = "whsec_dGVzdC1zZWNyZXQtZm9yLXNpZ25pbmctdW5pdC10ZXN0cw=="
BODY = '{"type":"payment.settled","amount":1000}'


def test_headers_verify_with_the_standard_webhooks_library() -> None:
    sent_at = datetime.now(UTC)

    headers = signed_headers(Webhook(SECRET), webhook_id="msg_1", body=BODY, sent_at=sent_at)

    assert Webhook(SECRET).verify(BODY, headers) == {"type": "payment.settled", "amount": 1000}
    assert headers["webhook-id"] == "msg_1"
    assert headers["webhook-timestamp"] == str(int(sent_at.timestamp()))
    assert headers["webhook-signature"].startswith("v1,")


def test_a_local_time_is_signed_as_the_same_instant() -> None:
    """``Webhook.sign`` relabels any timezone as UTC; a Jakarta time must not shift by 7 h."""
    sent_at = datetime.now(timezone(timedelta(hours=7)))

    headers = signed_headers(Webhook(SECRET), webhook_id="msg_1", body=BODY, sent_at=sent_at)

    assert headers["webhook-timestamp"] == str(int(sent_at.timestamp()))
    Webhook(SECRET).verify(BODY, headers)


def test_the_signature_covers_the_attempts_own_timestamp() -> None:
    now = datetime.now(UTC)
    webhook = Webhook(SECRET)
    first = signed_headers(webhook, webhook_id="msg_1", body=BODY, sent_at=now)
    later = signed_headers(
        webhook, webhook_id="msg_1", body=BODY, sent_at=now + timedelta(seconds=3)
    )

    assert first["webhook-signature"] != later["webhook-signature"]
    forged = {**later, "webhook-signature": first["webhook-signature"]}
    with pytest.raises(WebhookVerificationError, match="signature"):
        webhook.verify(BODY, forged)


@pytest.mark.parametrize(
    ("status_code", "outcome"),
    [
        (200, "acknowledged"),
        (202, "acknowledged"),
        (204, "acknowledged"),
        (400, "refused"),
        (401, "refused"),
        (404, "refused"),
        (409, "refused"),
        (422, "refused"),
        (408, "failed"),
        (429, "failed"),
        (302, "failed"),
        (500, "failed"),
        (503, "failed"),
    ],
)
def test_only_a_2xx_acknowledges_and_only_a_final_4xx_refuses(
    status_code: int, outcome: str
) -> None:
    assert outcome_of(status_code) == outcome


@pytest.mark.parametrize("secret", ["", "whsec_abcde", "whsec_not base64!"])
def test_a_secret_that_cannot_sign_is_refused(secret: str) -> None:
    with pytest.raises(ValueError, match="whsec_"):
        usable_secret(secret)


def test_a_usable_secret_is_kept() -> None:
    assert usable_secret(SECRET) == SECRET
