"""Prometheus figures of delivery: messages by the status they reach, and the queue."""

from collections.abc import Iterable

from prometheus_client import Counter, Gauge

from information.delivery.statuses import MessageStatus

MESSAGES = Counter(
    "kota_information_messages_total",
    "Messages reaching a status (created, sending, delivered, read, and each failure)",
    ["channel", "status"],
)
SKIPPED = Counter(
    "kota_information_messages_skipped_total",
    "Messages not sent at all (no phone number: the inbox only; no provider for a channel)",
    ["channel", "reason"],
)
QUEUE = Gauge(
    "kota_information_delivery_queue",
    "Messages the dispatchers hold: due now, deferred (quiet hours, limits, a retry), or "
    "sent and awaiting their receipt",
    ["channel", "state"],
)
QUEUE_STATES = ("due", "deferred", "awaiting_receipt")


def entered(channel: str, status: MessageStatus) -> None:
    MESSAGES.labels(channel, status.value).inc()


def measured_queue(counts: Iterable[tuple[str, str, int]], channels: Iterable[str]) -> None:
    """Set the queue gauge from ``(channel, state, count)``; absent pairs are zero."""
    found = {(channel, state): count for channel, state, count in counts}
    for channel in channels:
        for state in QUEUE_STATES:
            QUEUE.labels(channel, state).set(found.get((channel, state), 0))
