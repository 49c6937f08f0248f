"""Send each accepted message's receipts in the background, in order, each retried until
the receiver answers (`kota_shared.webhooks`).

A receipt's body is made when it is first sent (its time is the moment it reports) and
kept, so retries and redeliveries repeat it byte for byte under the same ``webhook-id``.
The next receipt of a message waits until the one before it is answered, acknowledged or
refused: a ``delivered`` never overtakes its ``sent``.
"""

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from kota_notifysim.inbox import Channel, Inbox, Message, Receipt, UnknownMessage
from kota_notifysim.receipts import BusinessNumber, sms_report, whatsapp_status
from kota_shared.clock import Clock
from kota_shared.webhooks import Courier, DeliveryAttempt, WebhookSender, repeat

_log = logging.getLogger(__name__)

TASK_NAME_PREFIX = "notifysim-receipts-"
Sleep = Callable[[float], Awaitable[Any]]


@dataclass
class ReceiptEndpoint:
    """Where one provider's receipts go, signed with its secret; a test may point them
    elsewhere while the simulator runs."""

    url: str
    sender: WebhookSender


class ReceiptCourier:
    def __init__(
        self,
        *,
        inbox: Inbox,
        courier: Courier,
        endpoints: dict[Channel, ReceiptEndpoint],
        business: BusinessNumber,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._inbox = inbox
        self._courier = courier
        self._endpoints = endpoints
        self._business = business
        self._clock = clock
        self._sleep = sleep

    def schedule(self, message: Message, *, delay: float) -> None:
        """Start sending ``message``'s planned receipts after ``delay`` seconds."""
        self._courier.start(message.message_id, partial(self._deliver, message, delay))

    async def redeliver(
        self, message_id: str, *, times: int, concurrently: bool
    ) -> list[int | None]:
        """Send every receipt already sent again, ``times`` times each, and report each
        status code, receipt after receipt."""
        status_codes: list[int | None] = []
        for index in range(len(self._inbox.get(message_id).receipts)):
            attempt = partial(self._attempt, message_id, index)
            attempts = await repeat(attempt, times=times, concurrently=concurrently)
            status_codes += [a.status_code for a in attempts]
        return status_codes

    def url(self, channel: Channel) -> str:
        return self._endpoints[channel].url

    def point(self, channel: Channel, url: str) -> None:
        """Send ``channel``'s receipts to ``url`` from the next attempt on."""
        self._endpoints[channel].url = url

    async def cancel_all(self) -> None:
        await self._courier.cancel_all()

    async def _deliver(self, message: Message, delay: float) -> None:
        if delay:
            await self._sleep(delay)
        for status in message.planned:
            webhook_id = f"msg_{secrets.token_hex(12)}"
            receipt = Receipt(webhook_id, status=status, body=self._body(message, status))
            try:
                index = self._inbox.add_receipt(message.message_id, receipt)
                await self._courier.until_answered(
                    f"{message.message_id} {status}",
                    partial(self._attempt, message.message_id, index),
                )
            except UnknownMessage:
                # The inbox was full and forgot it: nobody can read what became of it.
                _log.info("%s was forgotten: no more receipts", message.message_id)
                return

    def _body(self, message: Message, status: str) -> str:
        now = self._clock()
        if message.channel == "sms":
            return sms_report(message, status, done_at=now)
        return whatsapp_status(message, status, at=now, business=self._business)

    async def _attempt(self, message_id: str, index: int) -> DeliveryAttempt:
        message = self._inbox.get(message_id)
        receipt = message.receipts[index]
        endpoint = self._endpoints[message.channel]
        attempt = await endpoint.sender.send(
            url=endpoint.url, webhook_id=receipt.webhook_id, body=receipt.body
        )
        self._inbox.record_attempt(message_id, index, attempt)
        return attempt
