"""The fixed demo families (``data/demo_families.json``): the same in every run, whatever the
seed, registered before the generated population so their numbers are never taken.

They hold every NIK and family card number that the project's README, API examples and tests
use, with the names and birth dates those examples give. Each is read with the control API's
own model (`kota_regsim.schemas.FamilyCreate`) and registered by the same rules as any card;
``issued_days_ago`` dates a card's issue relative to the day the simulator starts.
"""

import json
from datetime import date, timedelta
from importlib import resources
from typing import Any

from kota_regsim.population import FamilySpec, Registry
from kota_regsim.schemas import FamilyCreate


def demo_families(*, today: date) -> list[FamilySpec]:
    text = (
        resources.files(__package__)
        .joinpath("data", "demo_families.json")
        .read_text(encoding="utf-8")
    )
    entries: list[dict[str, Any]] = json.loads(text)["families"]
    specs = []
    for entry in entries:
        fields = {k: v for k, v in entry.items() if k not in ("why", "issued_days_ago")}
        if "issued_days_ago" in entry:
            fields["issued_on"] = (today - timedelta(days=entry["issued_days_ago"])).isoformat()
        specs.append(FamilyCreate.model_validate(fields).spec())
    return specs


def register_demo_families(registry: Registry, *, today: date) -> None:
    for spec in demo_families(today=today):
        registry.register(spec, today=today)
