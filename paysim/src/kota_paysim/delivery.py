"""Deliver settlement callbacks in the background until the payments service answers 2xx.

Each attempt is a signed webhook (`kota_shared.webhooks`): the same ``webhook-id`` and body
on every (re)delivery of a payment's callback, a fresh timestamp and signature each time.
"""

from functools import partial

from kota_paysim.ledger import Ledger
from kota_paysim.schemas import SettlementCallback
from kota_shared.webhooks import Courier, DeliveryAttempt, WebhookSender, repeat

TASK_NAME_PREFIX = "paysim-delivery-"


class CallbackCourier:
    def __init__(
        self, *, ledger: Ledger, sender: WebhookSender, url: str, courier: Courier
    ) -> None:
        self._ledger = ledger
        self._sender = sender
        self._url = url
        self._courier = courier

    def dispatch(self, provider_transaction_id: str) -> None:
        """Start delivering in the background; the caller does not wait for the answer."""
        self._courier.deliver(
            provider_transaction_id, partial(self._attempt, provider_transaction_id)
        )

    async def redeliver(
        self, provider_transaction_id: str, *, times: int, concurrently: bool
    ) -> list[int | None]:
        """Send the callback again ``times`` times, once each, and report each status code."""
        attempt = partial(self._attempt, provider_transaction_id)
        attempts = await repeat(attempt, times=times, concurrently=concurrently)
        return [a.status_code for a in attempts]

    async def _attempt(self, provider_transaction_id: str) -> DeliveryAttempt:
        transaction = self._ledger.get(provider_transaction_id)
        attempt = await self._sender.send(
            url=self._url,
            webhook_id=transaction.message_id,
            body=SettlementCallback.of(transaction.payment).model_dump_json(),
        )
        self._ledger.record_attempt(provider_transaction_id, attempt)
        return attempt
