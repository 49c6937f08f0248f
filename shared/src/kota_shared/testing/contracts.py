"""Check a received event's payload against its published JSON Schema (an independent
validator, not the model that produced it)."""

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

CATALOGUE = Path(__file__).resolve().parents[4] / "schemas" / "events"
"""The committed schemas: ``schemas/events`` at the repository's root."""


def assert_matches_published_schema(event_type: str, data: Any) -> None:
    path = CATALOGUE / f"{event_type}.json"
    assert path.is_file(), f"no published schema for {event_type} at {path}"
    schema = json.loads(path.read_text())
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(data)
