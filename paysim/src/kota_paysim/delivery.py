"""Deliver settlement callbacks in the background until the payments service answers 2xx.

The courier owns its tasks so the app can cancel them at shutdown: a retry loop that waits
30 s between attempts must not keep the process (or a test's event loop) alive.
"""

import asyncio
import itertools
import logging
import random
from collections.abc import Callable, Iterator

import tenacity

from kota_paysim.callbacks import CallbackSender
from kota_paysim.ledger import DeliveryAttempt, Ledger

_log = logging.getLogger(__name__)

TASK_NAME_PREFIX = "paysim-delivery-"


def backoff_delays(
    *, initial: float, maximum: float, jitter: Callable[[], float] = random.random
) -> Iterator[float]:
    """Waits between attempts, endless: tenacity's exponential wait, doubling from
    ``initial`` and never above ``maximum``, each jittered down to as little as half of it.

    The suite's one back-off rule (``kota_shared.backoff``), on the same library, here
    directly: the simulator does not depend on the shared library. ``jitter`` (0 to 1, 1
    keeps the whole pause) is the seam that makes the waits deterministic in a test.
    """
    wait = tenacity.wait_exponential(multiplier=initial, max=maximum)
    state = tenacity.RetryCallState(retry_object=tenacity.Retrying(), fn=None, args=(), kwargs={})
    for attempt in itertools.count(1):
        state.attempt_number = attempt
        yield wait(state) * (0.5 + jitter() / 2)


class Courier:
    def __init__(
        self,
        *,
        ledger: Ledger,
        sender: CallbackSender,
        retry_initial_seconds: float,
        retry_max_seconds: float,
    ) -> None:
        self._ledger = ledger
        self._sender = sender
        self._retry_initial_seconds = retry_initial_seconds
        self._retry_max_seconds = retry_max_seconds
        self._tasks: set[asyncio.Task[None]] = set()

    def dispatch(self, provider_transaction_id: str) -> None:
        """Start delivering in the background; the caller does not wait for the answer."""
        task = asyncio.create_task(
            self._deliver_until_answered(provider_transaction_id),
            name=TASK_NAME_PREFIX + provider_transaction_id,
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def redeliver(
        self, provider_transaction_id: str, *, times: int, concurrently: bool
    ) -> list[int | None]:
        """Send the callback again ``times`` times, once each, and report each status code."""
        if concurrently:
            attempts = await asyncio.gather(
                *(self._attempt(provider_transaction_id) for _ in range(times))
            )
        else:
            attempts = [await self._attempt(provider_transaction_id) for _ in range(times)]
        return [a.status_code for a in attempts]

    async def close(self) -> None:
        """Cancel every delivery still retrying and wait until each has stopped."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _deliver_until_answered(self, provider_transaction_id: str) -> None:
        """Retry until acknowledged or refused, or until shutdown cancels the task."""
        for delay in backoff_delays(
            initial=self._retry_initial_seconds, maximum=self._retry_max_seconds
        ):
            if (await self._attempt(provider_transaction_id)).outcome != "failed":
                return
            await asyncio.sleep(delay)

    async def _attempt(self, provider_transaction_id: str) -> DeliveryAttempt:
        attempt = await self._sender.send(self._ledger.get(provider_transaction_id))
        self._ledger.record_attempt(provider_transaction_id, attempt)
        _log.info(
            "callback for %s: %s (%s)",
            provider_transaction_id,
            attempt.outcome,
            attempt.status_code or attempt.error,
        )
        return attempt
