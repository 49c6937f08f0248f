"""How the event catalogue is built from a registry and event models (no I/O)."""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel

from kota_gateway.composition.catalogue import asyncapi, contract_events
from kota_shared.events.asyncapi import asyncapi_document, field_docstrings
from kota_shared.events.envelope import EventData

TOPIC = "unit-gadgets.events"


@dataclass(frozen=True)
class Service:
    name: str
    publishes: str | None = None
    consumes: tuple[str, ...] = ()


class _GadgetEvent(EventData):
    topic: ClassVar[str] = TOPIC

    gadget_id: uuid.UUID
    """The gadget the event is about."""


class GadgetMade(_GadgetEvent):
    """A gadget was made.

    Made gadgets are counted by the factory's monitor."""

    event_type: ClassVar[str] = "unit-gadgets.gadget.made.v1"

    colour: str
    """Its colour, as painted."""
    made_at: datetime
    weight_grams: int


class Size(StrEnum):
    SMALL = "small"
    LARGE = "large"


class Packaging(BaseModel):
    size: Size


class GadgetPacked(_GadgetEvent):
    event_type: ClassVar[str] = "unit-gadgets.gadget.packed.v1"

    gadget_id: uuid.UUID
    """Which gadget went into the box."""
    packaging: Packaging


SERVICES = [
    Service(name="factory", publishes=TOPIC),
    Service(name="monitor", consumes=(TOPIC,)),
    Service(name="shop"),
]


def document() -> dict[str, Any]:
    return asyncapi_document(services=SERVICES, events=[GadgetPacked, GadgetMade], version="1")


def test_field_docstrings_come_from_the_class_and_its_bases_the_subclass_winning() -> None:
    assert field_docstrings(GadgetMade) == {
        "gadget_id": "The gadget the event is about.",
        "colour": "Its colour, as painted.",
    }
    assert field_docstrings(GadgetPacked)["gadget_id"] == "Which gadget went into the box."


def test_a_topic_is_a_channel_with_its_owner_readers_and_messages() -> None:
    built = document()
    channel = built["channels"][TOPIC]

    assert channel["x-owner"] == "factory"
    assert channel["x-consumers"] == ["monitor"]
    assert list(channel["messages"]) == [GadgetMade.event_type, GadgetPacked.event_type]
    assert set(built["operations"]) == {
        "factory.publish",
        f"monitor.consume.{TOPIC}",
    }


def test_a_message_has_its_summary_payload_and_described_fields() -> None:
    built = json.loads(json.dumps(document()))
    message = built["components"]["messages"][GadgetMade.event_type]
    payload = built["components"]["schemas"][GadgetMade.event_type]

    assert message["summary"] == "A gadget was made."
    assert payload["properties"]["colour"]["description"] == "Its colour, as painted."
    assert "description" not in payload["properties"]["weight_grams"]
    untitled = built["components"]["messages"][GadgetPacked.event_type]
    assert untitled["summary"] == "GadgetPacked"  # no docstring of its own, not its base's


def test_nested_models_are_lifted_to_components() -> None:
    built = json.loads(json.dumps(document()))
    packed = built["components"]["schemas"][GadgetPacked.event_type]

    assert packed["properties"]["packaging"] == {"$ref": "#/components/schemas/Packaging"}
    assert built["components"]["schemas"]["Packaging"]["properties"]["size"] == {
        "$ref": "#/components/schemas/Size"
    }
    assert built["components"]["schemas"]["Size"]["enum"] == ["small", "large"]


def test_two_different_nested_models_of_one_name_are_refused() -> None:
    class Packaging(BaseModel):  # not the module's: another shape under the same name
        boxes: int

    class GadgetShipped(_GadgetEvent):
        event_type: ClassVar[str] = "unit-gadgets.gadget.shipped.v1"

        packaging: Packaging

    with pytest.raises(ValueError, match="different schemas named 'Packaging'"):
        asyncapi_document(services=SERVICES, events=[GadgetPacked, GadgetShipped], version="1")


def test_an_event_on_a_topic_nobody_publishes_is_refused() -> None:
    with pytest.raises(ValueError, match="no service publishes"):
        asyncapi_document(services=[Service(name="shop")], events=[GadgetMade], version="1")


def test_a_topic_nobody_reads_says_so() -> None:
    built = asyncapi_document(
        services=[Service(name="factory", publishes=TOPIC)], events=[GadgetMade], version="1"
    )

    assert "no service of the suite" in built["channels"][TOPIC]["description"]


def test_the_gateways_catalogue_covers_every_contract_event() -> None:
    built = asyncapi()
    events = contract_events()

    assert events
    assert set(built["components"]["messages"]) == {event.event_type for event in events}
    assert all(event.__module__.startswith("kota_contracts.") for event in events)
