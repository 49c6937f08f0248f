"""Prometheus metrics of the event machinery, for operators' dashboards and alerts."""

from prometheus_client import Counter, Gauge

EVENTS_PUBLISHED = Counter(
    "kota_events_published_total", "Outbox events published to Kafka", ["topic"]
)
OUTBOX_RELAY_UP = Gauge(
    "kota_outbox_relay_up",
    "1 while the outbox relay runs and can publish; 0 while it waits out an outage or is down",
)
OUTBOX_BACKLOG = Gauge(
    "kota_outbox_backlog",
    "Outbox rows committed and not yet published (measured every few seconds)",
)
EVENTS_CONSUMED = Counter(
    "kota_events_consumed_total",
    "Events received by a consumer, by outcome (applied, duplicate, dead_lettered)",
    ["consumer", "outcome"],
)
CONSUMER_PAUSES = Counter(
    "kota_consumer_pauses_total",
    "Times a consumer paused and re-read a batch, by cause (outage, contention)",
    ["consumer", "cause"],
)
