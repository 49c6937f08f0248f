"""Check a received event's payload against its published JSON Schema (an independent
validator, not the model that produced it)."""

import functools
from typing import Any

from kota_shared.events.published_schemas import (
    REPOSITORY_CATALOGUE,
    PublishedSchemas,
    SchemaViolation,
)


@functools.cache
def _catalogue() -> PublishedSchemas:
    return PublishedSchemas.from_directory(REPOSITORY_CATALOGUE)


def assert_matches_published_schema(event_type: str, data: Any) -> None:
    try:
        _catalogue().validate(event_type, data)
    except SchemaViolation as exc:
        raise AssertionError(str(exc)) from None
