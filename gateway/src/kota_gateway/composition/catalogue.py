"""What an integrator reads about our events: the AsyncAPI catalogue and each JSON Schema.

``GET /asyncapi.json`` is the AsyncAPI 3.0 document of every topic and event type
(`kota_shared.events.asyncapi`), ``GET /schemas/events`` lists the event types and
``GET /schemas/events/<type>.json`` is the schema an event's ``dataschema`` names. All are
built from the models the gateway has installed (`kota_contracts`), once, at first use: they
are byte for byte the committed ``schemas/asyncapi.json`` and ``schemas/events/`` (a test
holds them to it), without a deployment having to ship those files.
"""

import functools
import pkgutil
from importlib.metadata import version
from typing import Any

from fastapi import APIRouter, Response

import kota_contracts
from kota_contracts.services import EVERY_SERVICE
from kota_shared.events import schemas
from kota_shared.events.asyncapi import asyncapi_document, render
from kota_shared.events.envelope import EventData
from kota_shared.problems import NotFound

SCHEMA_MEDIA_TYPE = "application/schema+json"
router = APIRouter(tags=["docs"], include_in_schema=False)


def contract_events() -> list[type[EventData]]:
    """Every event type declared in `kota_contracts`, ordered by type."""
    modules = [
        f"{kota_contracts.__name__}.{module.name}"
        for module in pkgutil.iter_modules(kota_contracts.__path__)
    ]
    return schemas.events_in(modules)


def asyncapi() -> dict[str, Any]:
    """The event catalogue, as the registry and the event models declare it today."""
    return asyncapi_document(
        services=EVERY_SERVICE, events=contract_events(), version=version("kota-contracts")
    )


@functools.cache
def _asyncapi_json() -> bytes:
    return render(asyncapi()).encode()


@functools.cache
def _event_schemas() -> dict[str, bytes]:
    return {event.event_type: schemas.render(event).encode() for event in contract_events()}


@router.get("/asyncapi.json")
async def asyncapi_json() -> Response:
    return Response(_asyncapi_json(), media_type="application/json")


@router.get("/schemas/events")
async def event_schema_index() -> dict[str, Any]:
    """The event types, each with its topic and where its schema is."""
    return {
        "asyncapi": "/asyncapi.json",
        "events": [
            {
                "type": event.event_type,
                "topic": event.topic,
                "title": event.__name__,
                "schema": f"/schemas/events/{event.event_type}.json",
            }
            for event in contract_events()
        ],
    }


@router.get("/schemas/events/{event_type}.json")
async def event_schema(event_type: str) -> Response:
    schema = _event_schemas().get(event_type)
    if schema is None:
        raise NotFound()
    return Response(schema, media_type=SCHEMA_MEDIA_TYPE)
