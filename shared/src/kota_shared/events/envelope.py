"""Typed, versioned event payloads and their CloudEvents 1.0 (structured JSON) envelope.

An event is a small immutable pydantic model named ``<Subject><PastTense>`` whose class
declares its CloudEvents ``type`` (ending in a version, ``.v1``) and its Kafka topic.
Defining the class registers it, so a consumer can turn any received type back into its
model and the catalogue of events can be published from the registry.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.v1.event import CloudEvent
from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints, ValidationError

from kota_shared.events.published_schemas import PublishedSchemas, SchemaViolation

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


DataT = TypeVar("DataT", bound="EventData | None", covariant=True)


@dataclass(frozen=True)
class ReceivedEvent(Generic[DataT]):
    """An event as a consumer sees it: envelope attributes, typed payload, and its origin.

    ``ReceivedEvent[InvoicePaid]`` is what a handler subscribed to ``InvoicePaid`` receives;
    ``data`` is None only for a type this process has no model for (a fallback's events).
    """

    id: str
    type: str
    source: str
    subject: str | None
    time: datetime | None
    data: DataT
    raw_data: dict[str, Any]
    topic: str
    partition: int
    offset: int
    headers: dict[str, str]


class MalformedEvent(ValueError):
    """A message that is not a valid CloudEvent or whose data fails its schema."""


MAX_EVENT_BYTES = 256 * 1024
"""Far above any event we publish: a larger value is a fault or an attack, not an event."""

_Text = Annotated[str, StringConstraints(min_length=1)]
_Column = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")
]
"""What fits the inbox's ``String(200)`` columns (``event_id``, ``event_type``): no control
characters either, which PostgreSQL would refuse (NUL) only after five retries."""


class _Envelope(BaseModel):
    """Our contract for a received event, checked before the CloudEvents SDK sees it.

    The SDK gives an event without ``id`` or ``time`` a random id and the current time
    (a new id on each redelivery defeats the inbox), and fails on some bad input with
    errors of its own kinds; pydantic-core parses strictly, and within a recursion limit.
    Extension attributes are left to the SDK's checks.
    """

    model_config = ConfigDict(strict=True, extra="allow", frozen=True)

    specversion: Literal["1.0"]
    id: _Column
    source: _Text
    type: _Column
    subject: _Text | None = None
    time: AwareDatetime
    data: dict[str, Any]


def _reasons(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in e['loc']) or 'value'}: {e['msg']}"
        for e in error.errors(include_url=False)
    )


def _read_envelope(value: bytes) -> _Envelope:
    if len(value) > MAX_EVENT_BYTES:
        raise MalformedEvent(f"{len(value)} bytes, more than the {MAX_EVENT_BYTES} allowed")
    try:
        return _Envelope.model_validate_json(value)
    except ValidationError as exc:
        raise MalformedEvent(f"not a CloudEvent of our contract: {_reasons(exc)}") from exc


def _check_spec(*, key: bytes | None, value: bytes, headers: dict[str, str]) -> None:
    """The SDK's own reading of the spec (extension names, attribute types) on top of ours."""
    try:
        ce_kafka.from_structured_event(
            ce_kafka.KafkaMessage(
                headers={k: v.encode() for k, v in headers.items()}, key=key, value=value
            )
        )
    except Exception as exc:  # its errors are of many kinds; any of them means a bad message
        raise MalformedEvent(f"not a valid CloudEvent: {exc}") from exc


def _typed_data(
    event_type: str, raw: dict[str, Any], schemas: PublishedSchemas | None
) -> EventData | None:
    """The payload as its model when this process has one; else, with ``schemas``, held to
    its type's published schema (and left untyped)."""
    try:
        model = event_class(event_type)
    except UnknownEventType:
        if schemas is not None:
            try:
                schemas.validate(event_type, raw)
            except SchemaViolation as exc:
                raise MalformedEvent(str(exc)) from exc
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise MalformedEvent(
            f"{event_type} data does not match its schema: {_reasons(exc)}"
        ) from exc


def parse_message(
    *,
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes | None,
    headers: dict[str, str],
    schemas: PublishedSchemas | None = None,
) -> ReceivedEvent[Any]:
    """Decode a structured CloudEvent; the payload is typed when its type is registered.

    Whatever the bytes (``None``: a tombstone), a bad message raises ``MalformedEvent`` and
    nothing else, so the consumer dead-letters it and moves on. With ``schemas``, an event
    of a type without a model here must have a published schema and satisfy it.
    """
    if value is None:
        raise MalformedEvent("no value (a tombstone): not an event")
    envelope = _read_envelope(value)
    _check_spec(key=key, value=value, headers=headers)
    return ReceivedEvent(
        id=envelope.id,
        type=envelope.type,
        source=envelope.source,
        subject=envelope.subject,
        time=envelope.time,
        data=_typed_data(envelope.type, envelope.data, schemas),
        raw_data=envelope.data,
        topic=topic,
        partition=partition,
        offset=offset,
        headers=headers,
    )
