"""One signed settlement callback attempt, per Standard Webhooks, and what its answer means."""

from datetime import UTC, datetime

import httpx
from standardwebhooks import Webhook

from kota_paysim.ledger import DeliveryAttempt, Outcome, Transaction, utc_now
from kota_paysim.schemas import SettlementCallback

RETRYABLE_CLIENT_ERRORS = frozenset({408, 429})
"""Request Timeout and Too Many Requests ask to come back later; other 4xx are final."""


def outcome_of(status_code: int) -> Outcome:
    if 200 <= status_code < 300:
        return "acknowledged"
    if 400 <= status_code < 500 and status_code not in RETRYABLE_CLIENT_ERRORS:
        return "refused"
    return "failed"


def signed_headers(
    webhook: Webhook, *, message_id: str, body: str, sent_at: datetime
) -> dict[str, str]:
    """Headers for one attempt; the signature covers its own timestamp, so each attempt re-signs."""
    # sign() reads the wall-clock fields as UTC and keeps whole seconds: hand it exactly that.
    whole_seconds = sent_at.astimezone(UTC).replace(microsecond=0)
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(whole_seconds.timestamp())),
        "webhook-signature": webhook.sign(message_id, whole_seconds, body),
    }


class CallbackSender:
    """POSTs a transaction's callback to the payments service; never raises on a bad answer."""

    def __init__(self, *, client: httpx.AsyncClient, url: str, webhook: Webhook) -> None:
        self._client = client
        self._url = url
        self._webhook = webhook

    async def send(self, transaction: Transaction) -> DeliveryAttempt:
        body = SettlementCallback.of(transaction.payment).model_dump_json()
        sent_at = utc_now()
        headers = signed_headers(
            self._webhook, message_id=transaction.message_id, body=body, sent_at=sent_at
        )
        try:
            response = await self._client.post(self._url, content=body.encode(), headers=headers)
        except httpx.HTTPError as exc:
            return DeliveryAttempt(at=sent_at, outcome="failed", error=repr(exc))
        return DeliveryAttempt(
            at=sent_at, outcome=outcome_of(response.status_code), status_code=response.status_code
        )
