"""Typed, versioned event payloads and their CloudEvents 1.0 (structured JSON) envelope.

An event is a small immutable pydantic model named ``<Subject><PastTense>`` whose class
declares its CloudEvents ``type`` (ending in a version, ``.v1``) and its Kafka topic.
Defining the class registers it, so a consumer can turn any received type back into its
model and the catalogue of events can be published from the registry.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.v1.event import CloudEvent
from pydantic import BaseModel, ConfigDict

_REGISTRY: dict[str, type["EventData"]] = {}
TRACE_HEADERS = ("traceparent", "tracestate")


class UnknownEventType(LookupError):
    """A received type that no model in this process declares."""


class EventData(BaseModel):
    """Base of every event payload. Subclasses set ``event_type`` and ``topic``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    topic: ClassVar[str]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        declared = cls.__dict__.get("event_type")
        if declared is None:
            return
        existing = _REGISTRY.get(declared)
        if existing is not None and existing is not cls:
            raise TypeError(f"event type {declared} is declared twice")
        _REGISTRY[declared] = cls


def event_class(event_type: str) -> type[EventData]:
    try:
        return _REGISTRY[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None


def registered_event_types() -> dict[str, type[EventData]]:
    """Every event type this process knows, for the published catalogue."""
    return dict(_REGISTRY)


def schema_uri(event_type: str) -> str:
    return f"https://schemas.kota.live/events/{event_type}.json"


@dataclass(frozen=True)
class OutgoingMessage:
    """What the outbox stores and the relay sends, byte for byte."""

    event_id: uuid.UUID
    topic: str
    key: str
    value: bytes
    headers: dict[str, str]


def build_message(
    data: EventData,
    *,
    source: str,
    subject: str,
    trace_headers: dict[str, str],
    event_id: uuid.UUID | None = None,
    time: datetime | None = None,
) -> OutgoingMessage:
    """Wrap a payload in a CloudEvent keyed by its aggregate id (``subject``)."""
    event_id = event_id or uuid.uuid4()
    attributes: dict[str, Any] = {
        "id": str(event_id),
        "source": source,
        "type": data.event_type,
        "subject": subject,
        "time": time or datetime.now(UTC),
        "datacontenttype": "application/json",
        "dataschema": schema_uri(data.event_type),
    }
    # The distributed-tracing extension puts the trace context inside the event too, so it
    # survives tools that copy values without headers (dead-letter replays, archives).
    attributes.update({k: v for k, v in trace_headers.items() if k in TRACE_HEADERS})
    event = CloudEvent(attributes=attributes, data=data.model_dump(mode="json"))
    message = ce_kafka.to_structured_event(event, key_mapper=lambda _: subject)
    headers = {k: v.decode() for k, v in message.headers.items()}
    headers.update({k: v for k, v in trace_headers.items() if k in TRACE_HEADERS})
    return OutgoingMessage(
        event_id=event_id, topic=data.topic, key=subject, value=message.value, headers=headers
    )


@dataclass(frozen=True)
class ReceivedEvent:
    """An event as a consumer sees it: envelope attributes, typed payload, and its origin."""

    id: str
    type: str
    source: str
    subject: str | None
    time: datetime | None
    data: EventData | None
    raw_data: dict[str, Any]
    topic: str
    partition: int
    offset: int
    headers: dict[str, str]


class MalformedEvent(ValueError):
    """A message that is not a valid CloudEvent or whose data fails its schema."""


def parse_message(
    *,
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes,
    headers: dict[str, str],
) -> ReceivedEvent:
    """Decode a structured CloudEvent; the payload is typed when its type is registered."""
    try:
        message = ce_kafka.KafkaMessage(
            headers={k: v.encode() for k, v in headers.items()}, key=key, value=value
        )
        event = ce_kafka.from_structured_event(message)
    except (ValueError, TypeError, KeyError, json.JSONDecodeError) as exc:
        raise MalformedEvent(f"not a structured CloudEvent: {exc}") from exc
    raw = event.get_data()
    if not isinstance(raw, dict):
        raise MalformedEvent("event data must be a JSON object")
    data: EventData | None
    try:
        data = event_class(event.get_type()).model_validate(raw)
    except UnknownEventType:
        data = None
    except ValueError as exc:
        raise MalformedEvent(f"{event.get_type()} data does not match its schema: {exc}") from exc
    return ReceivedEvent(
        id=event.get_id(),
        type=event.get_type(),
        source=event.get_source(),
        subject=event.get_subject(),
        time=event.get_time(),
        data=data,
        raw_data=raw,
        topic=topic,
        partition=partition,
        offset=offset,
        headers=headers,
    )
