"""Alerts the monitoring service publishes on ``monitoring.events`` (typed, versioned).

Each alert has one cause (an application's stage that reached 80 % of its time or passed its
deadline; a service not ready since a given time; a consumer lagging since one; dead letters
up to a count), and its event id is derived from that cause, so an alert raised twice (after a
restart, or from rebuilt read models) is the same event, which idempotent consumers apply
once. Keyed by what it is about (the application, service, group or topic). No personal data:
applications appear by id.
"""

import uuid
from datetime import datetime
from typing import ClassVar

from kota_contracts.permits import Stage
from kota_shared.events.envelope import EventData

TOPIC = "monitoring.events"


class _DeadlineAlert(EventData):
    topic: ClassVar[str] = TOPIC

    application_id: uuid.UUID
    permit_type: str
    kecamatan_code: str | None
    """Where the permit applies (``36.71.07``), for routing the alert to that office."""
    stage: Stage
    started_at: datetime
    due_at: datetime
    detected_at: datetime


class DeadlineAtRisk(_DeadlineAlert):
    """An application has used 80 % of its stage's time with the stage still open."""

    event_type: ClassVar[str] = "monitoring.deadline.at_risk.v1"


class DeadlineBreached(_DeadlineAlert):
    """An application's stage passed its deadline with the stage still open."""

    event_type: ClassVar[str] = "monitoring.deadline.breached.v1"


# The suite's own health: keyed by what the alert is about (a service, a consumer group, a
# dead-letter topic), each once per cause.
class ServiceNotReady(EventData):
    """A service has answered its readiness probe "not ready" (or not at all) for a while."""

    event_type: ClassVar[str] = "monitoring.service.not_ready.v1"
    topic: ClassVar[str] = TOPIC

    service: str
    not_ready_since: datetime
    detail: str | None
    """What the probe saw: the failing checks, a status code, or the connection error."""
    detected_at: datetime


class ConsumerLagging(EventData):
    """A consumer group is further behind its topics than operators allow."""

    event_type: ClassVar[str] = "monitoring.consumer.lagging.v1"
    topic: ClassVar[str] = TOPIC

    consumer_group: str
    lag: int
    """Records on its topics not yet committed by the group."""
    threshold: int
    lagging_since: datetime
    detected_at: datetime


class DeadLetterWritten(EventData):
    """A consumer put events it could not apply on its dead-letter topic."""

    event_type: ClassVar[str] = "monitoring.dead_letter.written.v1"
    topic: ClassVar[str] = TOPIC

    dead_letter_topic: str
    written: int
    """Dead letters on the topic so far."""
    new: int
    """How many of them arrived since the last alert (or since monitoring first looked)."""
    detected_at: datetime
