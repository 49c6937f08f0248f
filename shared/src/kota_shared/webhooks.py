"""Signed webhooks sent until the receiver answers, as the city's providers send theirs.

The simulators of those providers (a payment gateway's settlement callbacks, an SMS or
WhatsApp provider's delivery receipts) sign each attempt per Standard Webhooks: a
``webhook-id`` that stays the same on every (re)delivery, so the receiver can tell a repeat,
and a ``webhook-timestamp`` and ``webhook-signature`` of this attempt. A 2xx acknowledges
the webhook; a 4xx other than 408 and 429 refuses it for good; anything else, a lost
connection included, is retried after the suite's back-off (`kota_shared.backoff`).

The courier owns its tasks so the app can cancel them at shutdown: a retry loop that waits
30 s between attempts must not keep the process (or a test's event loop) alive.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import httpx
from standardwebhooks import Webhook

from kota_shared.backoff import Backoff
from kota_shared.clock import Clock, system_clock

_log = logging.getLogger(__name__)

Outcome = Literal["acknowledged", "refused", "failed"]
"""What one delivery attempt ended in: a 2xx, a final refusal, or anything worth retrying."""

RETRYABLE_CLIENT_ERRORS = frozenset({408, 429})
"""Request Timeout and Too Many Requests ask to come back later; other 4xx are final."""


def outcome_of(status_code: int) -> Outcome:
    if 200 <= status_code < 300:
        return "acknowledged"
    if 400 <= status_code < 500 and status_code not in RETRYABLE_CLIENT_ERRORS:
        return "refused"
    return "failed"


def usable_secret(secret: str) -> str:
    """``secret`` if it can sign (``whsec_<base64>``): a settings validator, so a bad secret
    fails at start-up rather than at the first webhook."""
    try:
        Webhook(secret)
    except Exception as exc:  # the library raises bare errors of several kinds
        raise ValueError(f"not a Standard Webhooks secret (whsec_<base64>): {exc}") from exc
    return secret


def signed_headers(
    webhook: Webhook, *, webhook_id: str, body: str, sent_at: datetime
) -> dict[str, str]:
    """Headers for one attempt; the signature covers its own timestamp, so each attempt re-signs."""
    # sign() reads the wall-clock fields as UTC and keeps whole seconds: hand it exactly that.
    whole_seconds = sent_at.astimezone(UTC).replace(microsecond=0)
    return {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(whole_seconds.timestamp())),
        "webhook-signature": webhook.sign(webhook_id, whole_seconds, body),
    }


@dataclass(frozen=True)
class DeliveryAttempt:
    at: datetime
    outcome: Outcome
    status_code: int | None = None
    error: str | None = None


class WebhookSender:
    """POSTs one signed webhook; never raises on a bad answer or a lost connection.

    ``clock`` stamps the attempt, so it must be the real time: the receiver judges the
    signature's timestamp against its own.
    """

    def __init__(
        self, *, client: httpx.AsyncClient, secret: str, clock: Clock = system_clock
    ) -> None:
        self._client = client
        self._webhook = Webhook(secret)
        self._clock = clock

    async def send(self, *, url: str, webhook_id: str, body: str) -> DeliveryAttempt:
        sent_at = self._clock()
        headers = signed_headers(self._webhook, webhook_id=webhook_id, body=body, sent_at=sent_at)
        try:
            response = await self._client.post(url, content=body.encode(), headers=headers)
        except httpx.HTTPError as exc:
            return DeliveryAttempt(at=sent_at, outcome="failed", error=repr(exc))
        return DeliveryAttempt(
            at=sent_at, outcome=outcome_of(response.status_code), status_code=response.status_code
        )


Attempt = Callable[[], Awaitable[DeliveryAttempt]]
"""One try at a webhook, recording its outcome where the caller keeps it."""


async def repeat(attempt: Attempt, *, times: int, concurrently: bool) -> list[DeliveryAttempt]:
    """Make ``attempt`` ``times`` times, once each, at once or one after another: how a test
    proves that a receiver takes a webhook delivered again (or twice at the same moment) once."""
    if concurrently:
        return list(await asyncio.gather(*(attempt() for _ in range(times))))
    return [await attempt() for _ in range(times)]


class Courier:
    """Runs deliveries in the background, each retried until answered, and stops them all
    at shutdown. Its tasks are named ``task_name_prefix`` + the name given, so a test can
    see which are still running."""

    def __init__(
        self, *, backoff: Backoff, task_name_prefix: str, log: logging.Logger = _log
    ) -> None:
        """``log``: where each attempt's outcome is told (the simulator's own logger)."""
        self._backoff = backoff
        self._task_name_prefix = task_name_prefix
        self._log = log
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, name: str, work: Callable[[], Awaitable[None]]) -> None:
        """Run ``work`` in the background; the caller does not wait for it."""

        async def run() -> None:
            await work()

        task = asyncio.create_task(run(), name=self._task_name_prefix + name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def deliver(self, name: str, attempt: Attempt) -> None:
        """Start retrying ``attempt`` in the background until it is answered."""

        async def work() -> None:
            await self.until_answered(name, attempt)

        self.start(name, work)

    async def until_answered(self, name: str, attempt: Attempt) -> DeliveryAttempt:
        """Retry until acknowledged or refused (or until shutdown cancels the task)."""
        for delay in self._backoff.delays():
            result = await attempt()
            self._log.info(
                "webhook %s: %s (%s)", name, result.outcome, result.status_code or result.error
            )
            if result.outcome != "failed":
                return result
            await asyncio.sleep(delay)
        raise AssertionError("the back-off's pauses are endless")  # pragma: no cover

    async def cancel_all(self) -> None:
        """Cancel every delivery still running and wait until each has stopped (at shutdown,
        or when a simulator is reset; new deliveries may start after)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
