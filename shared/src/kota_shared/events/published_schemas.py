"""The published JSON Schemas of event payloads, read back to hold received data to them.

A consumer that takes every type (monitoring) has no model for other services' events;
the committed ``schemas/events/<type>.json`` files (see ``kota_shared.events.schemas``) are
the contract it can check their data against instead.
"""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match

REPOSITORY_CATALOGUE = Path(__file__).resolve().parents[4] / "schemas" / "events"
"""``schemas/events`` at the repository's root: right when running from a checkout only; an
installed service is pointed at wherever its deployment ships the files."""


class SchemaViolation(ValueError):
    """Event data its type's published schema rejects, or a type with no published schema."""


class PublishedSchemas:
    """One compiled validator per published event type, built once at start."""

    def __init__(self, schemas: Mapping[str, dict[str, Any]]) -> None:
        self._validators: dict[str, Draft202012Validator] = {}
        for event_type, schema in schemas.items():
            # A broken schema file fails the start, not the first event of its type.
            Draft202012Validator.check_schema(schema)
            self._validators[event_type] = Draft202012Validator(
                schema, format_checker=FormatChecker()
            )

    @classmethod
    def from_directory(cls, directory: Path) -> "PublishedSchemas":
        """Every ``<type>.json`` in ``directory``; none at all is a misconfiguration."""
        paths = sorted(directory.glob("*.json"))
        if not paths:
            raise FileNotFoundError(f"no published event schemas (*.json) in {directory}")
        return cls({path.stem: json.loads(path.read_text()) for path in paths})

    def validate(self, event_type: str, data: Any) -> None:
        """Raise ``SchemaViolation`` unless ``data`` satisfies ``event_type``'s schema."""
        validator = self._validators.get(event_type)
        if validator is None:
            raise SchemaViolation(f"no published schema for type {event_type}")
        error = best_match(validator.iter_errors(data))
        if error is not None:
            raise SchemaViolation(
                f"{event_type} data does not match its schema at {error.json_path}: {error.message}"
            )
