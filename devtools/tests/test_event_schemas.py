"""The published event schemas (``schemas/events``) are exactly what the models declare."""

import json

from kota_dev.event_catalogue import CATALOGUE, contract_modules
from kota_shared.events.envelope import schema_uri
from kota_shared.events.schemas import events_in, render


def test_every_event_has_its_published_schema_and_no_schema_is_stale() -> None:
    events = events_in(contract_modules())
    published = {path.name for path in CATALOGUE.glob("*.json")}

    assert published == {f"{event.event_type}.json" for event in events}
    for event in events:
        on_disk = (CATALOGUE / f"{event.event_type}.json").read_text()
        assert on_disk == render(event), (
            f"{event.event_type} changed without its schema: run "
            "`uv run python -m kota_dev.event_catalogue` and review the difference"
        )


def test_each_schema_is_where_its_events_dataschema_points() -> None:
    for path in CATALOGUE.glob("*.json"):
        event_type = path.name.removesuffix(".json")
        assert json.loads(path.read_text())["$id"] == schema_uri(event_type)
