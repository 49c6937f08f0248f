"""The suite's published event schemas (``schemas/events``), found by discovery: every module
of `kota_contracts` that declares events contributes them, so a new event needs no list
edited. Regenerate the files with ``uv run python -m kota_dev.event_catalogue``."""

import pkgutil
from pathlib import Path

import kota_contracts
from kota_shared.events.schemas import write_catalogue

CATALOGUE = Path(__file__).resolve().parents[3] / "schemas" / "events"


def contract_modules() -> list[str]:
    """Every module of the contracts package (those without events contribute nothing)."""
    return sorted(
        f"{kota_contracts.__name__}.{module.name}"
        for module in pkgutil.iter_modules(kota_contracts.__path__)
    )


def main() -> None:
    for path in write_catalogue(CATALOGUE, contract_modules()):
        print(path.relative_to(CATALOGUE.parents[1]))


if __name__ == "__main__":
    main()
