"""The committed event catalogue (``schemas/asyncapi.json``) is current, valid AsyncAPI 3.0,
and lists every published event type with its owner, key, headers and payload.

Validated offline against the AsyncAPI 3.0.0 JSON Schema as the AsyncAPI Initiative
publishes it: ``asyncapi_spec/asyncapi-3.0.0.schema.json`` is ``schemas/3.0.0.json`` of the
npm package ``@asyncapi/specs`` 6.11.1 (Apache-2.0, its LICENSE beside it), copied unchanged;
every definition it refers to is bundled in it, so validation fetches nothing.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from kota_contracts.permits import ApplicationSubmitted
from kota_contracts.services import EVERY_SERVICE
from kota_dev.asyncapi import CATALOGUE
from kota_dev.event_catalogue import CATALOGUE as EVENT_SCHEMAS
from kota_gateway.composition.catalogue import asyncapi
from kota_shared.events.asyncapi import render

SPEC = Path(__file__).parent / "asyncapi_spec" / "asyncapi-3.0.0.schema.json"
SPEC_SHA256 = "d4571a420e6ffb7fcc7066c95a6db1202f299a3c51daa103d0706bf30f95e626"


def validator() -> Draft7Validator:
    """jsonschema retrieves no remote reference: one the copy lacks would be an error."""
    return Draft7Validator(json.loads(SPEC.read_text()))


def committed() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(CATALOGUE.read_text())
    return document


def errors(document: dict[str, Any]) -> str | None:
    error = best_match(validator().iter_errors(document))
    return None if error is None else f"{error.json_path}: {error.message}"


def test_the_committed_catalogue_is_what_the_code_declares() -> None:
    assert CATALOGUE.read_text() == render(asyncapi()), (
        "the event catalogue is stale: run `uv run python -m kota_dev.asyncapi` "
        "and review the difference"
    )


def test_the_spec_copy_is_the_published_one() -> None:
    assert hashlib.sha256(SPEC.read_bytes()).hexdigest() == SPEC_SHA256


def test_the_catalogue_is_valid_asyncapi_3() -> None:
    document = committed()

    assert document["asyncapi"] == "3.0.0"
    assert errors(document) is None


@pytest.mark.parametrize(
    ("where", "breakage"),
    [
        (
            "an AsyncAPI 2 operation",
            lambda d: d["operations"]["permits.publish"].update(action="publish"),
        ),
        (
            "a Kafka binding of no known version",
            lambda d: d["channels"]["permits.events"]["bindings"]["kafka"].update(
                bindingVersion="9.9.9"
            ),
        ),
        (
            "a message without its payload's shape",
            lambda d: d["components"]["messages"]["permits.permit.issued.v1"].update(payload=42),
        ),
    ],
)
def test_the_validator_refuses_a_broken_catalogue(where: str, breakage: Any) -> None:
    document = committed()
    breakage(document)

    assert errors(document) is not None, where


def _resolve(document: dict[str, Any], pointer: str) -> Any:
    node: Any = document
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    return []


def test_every_reference_resolves_inside_the_document() -> None:
    document = committed()
    refs = _refs(document)

    assert refs
    assert all(ref.startswith("#/") for ref in refs)
    for ref in refs:
        _resolve(document, ref)  # raises KeyError if it does not


def test_every_published_event_type_is_a_message_of_its_topic() -> None:
    document = committed()
    published = {path.stem: json.loads(path.read_text()) for path in EVENT_SCHEMAS.glob("*.json")}
    on_channels = {
        message_ref["$ref"].rsplit("/", 1)[1]: topic
        for topic, channel in document["channels"].items()
        for message_ref in channel["messages"].values()
    }

    assert set(document["components"]["messages"]) == set(published)
    assert set(on_channels) == set(published)
    for event_type, schema in published.items():
        assert on_channels[event_type] == f"{event_type.split('.', 1)[0]}.events"
        payload = document["components"]["schemas"][event_type]
        assert set(payload["properties"]) == set(schema["properties"])
        assert payload["required"] == schema["required"]
        message = document["components"]["messages"][event_type]
        data = message["payload"]["allOf"][1]["properties"]
        assert data["type"] == {"const": event_type}
        assert data["dataschema"] == {"const": schema["$id"]}
        assert data["data"] == {"$ref": f"#/components/schemas/{event_type}"}


def test_each_channel_names_its_owner_and_readers_from_the_registry() -> None:
    document = committed()

    for service in EVERY_SERVICE:
        if service.publishes:
            channel = document["channels"][service.publishes]
            assert channel["x-owner"] == service.name
            send = document["operations"][f"{service.name}.publish"]
            assert send["action"] == "send"
            assert send["channel"] == {"$ref": f"#/channels/{service.publishes}"}
        for topic in service.consumes:
            assert service.name in document["channels"][topic]["x-consumers"]
            receive = document["operations"][f"{service.name}.consume.{topic}"]
            assert receive["action"] == "receive"


def test_messages_say_how_they_travel_key_headers_and_envelope() -> None:
    document = committed()
    message = document["components"]["messages"]["payments.invoice.paid.v1"]

    assert message["contentType"] == "application/cloudevents+json"
    assert message["bindings"]["kafka"]["key"]["type"] == "string"
    assert "subject" in message["bindings"]["kafka"]["key"]["description"]
    assert message["headers"]["properties"]["content-type"]["const"] == (
        "application/cloudevents+json"
    )
    assert {"traceparent", "tracestate"} <= set(message["headers"]["properties"])
    assert message["payload"]["allOf"][0] == {"$ref": "#/components/schemas/CloudEvent"}
    assert message["payload"]["allOf"][1]["properties"]["source"] == {
        "const": "/kota-live/payments"
    }
    envelope = document["components"]["schemas"]["CloudEvent"]
    assert {"id", "source", "type", "subject", "time", "data"} <= set(envelope["required"])
    assert "order" in document["info"]["description"]


def test_field_docstrings_are_the_fields_descriptions() -> None:
    payload = committed()["components"]["schemas"][ApplicationSubmitted.event_type]

    assert payload["properties"]["deadline_at"]["description"] == (
        "When the verification stage's service-level target passes."
    )
    assert payload["description"].startswith("The applicant handed the application in")


def test_nested_definitions_are_components_of_the_document() -> None:
    document = committed()
    payload = document["components"]["schemas"]["education.registration.submitted.v1"]

    assert "$defs" not in json.dumps(document)
    assert "Pathway" in document["components"]["schemas"]
    assert "#/components/schemas/Pathway" in json.dumps(payload)
