"""The committed event catalogue, ``schemas/asyncapi.json`` (AsyncAPI 3.0): every topic with
its owner and readers, every event type with its payload, key, ordering and headers.

It is exactly what the gateway serves at ``/asyncapi.json`` (`kota_gateway.composition.
catalogue`, built from the service registry and the event models); the file is there so a
change to the catalogue shows in review, and a test fails until it is regenerated with
``uv run python -m kota_dev.asyncapi``.
"""

from pathlib import Path

from kota_gateway.composition.catalogue import asyncapi
from kota_shared.events.asyncapi import render

CATALOGUE = Path(__file__).resolve().parents[3] / "schemas" / "asyncapi.json"


def main() -> None:
    CATALOGUE.write_text(render(asyncapi()))
    print(CATALOGUE.relative_to(CATALOGUE.parents[1]))


if __name__ == "__main__":
    main()
