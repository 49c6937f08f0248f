"""JSON Schemas of event payloads, published as files beside the code.

Each event's CloudEvents ``dataschema`` names ``<type>.json``; the files are generated from
the typed models (``python -m kota_shared.events.schemas <directory> <module>...``) and
committed, so a change to a payload shows up in review and a drift test catches a model
changed without its published schema.
"""

import importlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kota_shared.events.envelope import EventData, registered_event_types, schema_uri

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


def event_json_schema(event: type[EventData]) -> dict[str, Any]:
    """The schema of ``event``'s payload as it travels (JSON mode: dates as strings)."""
    return {
        "$schema": DRAFT_2020_12,
        "$id": schema_uri(event.event_type),
        **event.model_json_schema(mode="serialization"),
    }


def events_in(modules: Iterable[str]) -> list[type[EventData]]:
    """Every event type declared in ``modules`` (imported here), ordered by type."""
    names = set(modules)
    for name in names:
        importlib.import_module(name)
    found = [e for e in registered_event_types().values() if e.__module__ in names]
    return sorted(found, key=lambda e: e.event_type)


def render(event: type[EventData]) -> str:
    return json.dumps(event_json_schema(event), indent=2, sort_keys=True) + "\n"


def write_catalogue(directory: Path, modules: Iterable[str]) -> list[Path]:
    """Write ``<type>.json`` for every event in ``modules``; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for event in events_in(modules):
        path = directory / f"{event.event_type}.json"
        path.write_text(render(event))
        written.append(path)
    return written


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python -m kota_shared.events.schemas <directory> <module>...")
    for path in write_catalogue(Path(sys.argv[1]), sys.argv[2:]):
        print(path)
