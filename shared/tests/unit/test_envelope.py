"""Parsing a received message: every bad one is a MalformedEvent (never another error, which
would stop the consumer), and data of types without a model is held to its published schema."""

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest

from kota_shared.events.envelope import (
    MAX_EVENT_BYTES,
    EventData,
    MalformedEvent,
    ReceivedEvent,
    build_message,
    parse_message,
)
from kota_shared.events.published_schemas import PublishedSchemas

WEIGHED_AT = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
UNMODELLED = "test.envelope.parcel_sealed.v1"
"""A type with a published schema (in the ``schemas`` fixture) and no model in this process."""


class ParcelWeighed(EventData):
    event_type: ClassVar[str] = "test.envelope.parcel_weighed.v1"
    topic: ClassVar[str] = "test.events"

    grams: int


def built() -> bytes:
    return build_message(
        ParcelWeighed(grams=1200),
        source="/kota-live/tests",
        subject="parcel-1",
        trace_headers={},
        time=WEIGHED_AT,
    ).value


def valid_event() -> dict[str, Any]:
    event: dict[str, Any] = json.loads(built())
    return event


def changed(**attributes: Any) -> bytes:
    return json.dumps(valid_event() | attributes).encode()


def without(attribute: str) -> bytes:
    event = valid_event()
    del event[attribute]
    return json.dumps(event).encode()


def deeply_nested_data(depth: int) -> bytes:
    # json.dumps cannot write this (it recurses), so the value is spliced in as text.
    head = json.dumps(valid_event() | {"data": {}}).removesuffix("{}}")
    return f'{head}{{"deep": {"[" * depth}{"]" * depth}}}}}'.encode()


def parse(value: bytes | None, schemas: PublishedSchemas | None = None) -> ReceivedEvent:
    return parse_message(
        topic="test.events",
        partition=0,
        offset=7,
        key=b"parcel-1",
        value=value,
        headers={"content-type": "application/cloudevents+json"},
        schemas=schemas,
    )


MALFORMED = {
    "not UTF-8": b"\xff\xfe not utf8",
    "not JSON": b"{not json",
    "empty": b"",
    "a tombstone": None,
    "a JSON array": b"[]",
    "a JSON number": b"42",
    "JSON null": b"null",
    "an object without CloudEvents attributes": b'{"hello":"world"}',
    "no id": without("id"),
    "a numeric id": changed(id=5),
    "an empty id": changed(id=""),
    "an id longer than the inbox column": changed(id="i" * 201),
    "an id with a NUL, which PostgreSQL refuses": changed(id="evt\u0000-1"),
    "a type with a line break": changed(type="permits.x\n.v1"),
    "no source": without("source"),
    "no type": without("type"),
    "a numeric type": changed(type=7),
    "a type longer than the inbox column": changed(type="t" * 201),
    "specversion 0.3": changed(specversion="0.3"),
    "no specversion": without("specversion"),
    "no time": without("time"),
    "a time without a time zone": changed(time="2026-11-29T08:00:00"),
    "a time that is not a time": changed(time="yesterday"),
    "an empty subject": changed(subject=""),
    "an invalid extension name": changed(**{"Bad-Name!": "x"}),
    "a non-string datacontenttype": changed(datacontenttype=3),
    "no data": without("data"),
    "data that is a list": changed(data=[1200]),
    "data that is a string": changed(data="1200"),
    "data its model rejects": changed(data={"grams": "heavy"}),
    "data nested 100000 levels deep": deeply_nested_data(100_000),
    "more bytes than allowed": changed(data={"grams": 1, "note": "x" * MAX_EVENT_BYTES}),
}


@pytest.mark.parametrize("value", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_bad_message_is_malformed_and_nothing_else(value: bytes | None) -> None:
    with pytest.raises(MalformedEvent):
        parse(value)


def test_a_built_message_parses_into_its_typed_event() -> None:
    received = parse(built())

    assert received.type == ParcelWeighed.event_type
    assert received.source == "/kota-live/tests"
    assert received.subject == "parcel-1"
    assert received.time == WEIGHED_AT
    assert received.data == ParcelWeighed(grams=1200)
    assert received.raw_data == {"grams": 1200}
    assert (received.topic, received.partition, received.offset) == ("test.events", 0, 7)


def test_a_built_message_keeps_its_id_however_often_it_is_parsed() -> None:
    message = build_message(
        ParcelWeighed(grams=1200), source="/kota-live/tests", subject="parcel-1", trace_headers={}
    )

    first, second = parse(message.value), parse(message.value)

    assert first.id == second.id == str(message.event_id)


# --- data of types without a model, held to published schemas ----------------------------

SEALED_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "parcel_id": {"type": "string", "format": "uuid"},
        "sealed_at": {"type": "string", "format": "date-time"},
    },
    "required": ["parcel_id", "sealed_at"],
    "additionalProperties": False,
}
SEALED = {"parcel_id": str(uuid.uuid4()), "sealed_at": "2026-11-29T08:00:00Z"}


@pytest.fixture
def schemas(tmp_path: Path) -> PublishedSchemas:
    (tmp_path / f"{UNMODELLED}.json").write_text(json.dumps(SEALED_SCHEMA))
    return PublishedSchemas.from_directory(tmp_path)


@pytest.mark.parametrize(
    "data",
    [
        {"sealed_at": SEALED["sealed_at"]},
        SEALED | {"parcel_id": "not-a-uuid"},
        SEALED | {"sealed_at": "yesterday"},
        SEALED | {"grams": 1200},
    ],
    ids=["a required field missing", "not a uuid", "not a date-time", "an unknown field"],
)
def test_data_breaking_its_published_schema_is_malformed(
    schemas: PublishedSchemas, data: dict[str, Any]
) -> None:
    with pytest.raises(MalformedEvent, match="does not match its schema"):
        parse(changed(type=UNMODELLED, data=data), schemas)


def test_data_matching_its_published_schema_parses_untyped(schemas: PublishedSchemas) -> None:
    received = parse(changed(type=UNMODELLED, data=SEALED), schemas)

    assert received.data is None
    assert received.raw_data == SEALED


def test_a_type_with_a_model_is_checked_by_its_model_not_the_schemas(
    schemas: PublishedSchemas,
) -> None:
    assert parse(built(), schemas).data == ParcelWeighed(grams=1200)


def test_a_type_without_a_published_schema_is_malformed_when_schemas_are_given(
    schemas: PublishedSchemas,
) -> None:
    unpublished = changed(type="test.envelope.parcel_lost.v1", data={"anything": True})

    with pytest.raises(MalformedEvent, match="no published schema"):
        parse(unpublished, schemas)
    assert parse(unpublished).raw_data == {"anything": True}


def test_a_directory_without_schemas_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no published event schemas"):
        PublishedSchemas.from_directory(tmp_path)
