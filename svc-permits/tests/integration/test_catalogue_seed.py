"""The seeded catalogue on real PostgreSQL: the API serves the city's seed file entry for entry."""

import asyncio
import json
from importlib import resources
from typing import Any

from kota_shared.seeding import run_seed
from permits.seed import seed_catalogue

Permits = Any  # the `permits` fixture's driver (conftest)


def kota_tangerang_seed() -> list[dict[str, Any]]:
    seed = resources.files("permits.catalogue.seeds").joinpath("3671.json")
    entries: list[dict[str, Any]] = json.loads(seed.read_text(encoding="utf-8"))
    return entries


async def test_the_catalogue_serves_each_seeded_type_as_its_file_has_it(permits: Permits) -> None:
    entries = kota_tangerang_seed()

    listed = await permits.client.get("/v1/permits/types")

    assert listed.status_code == 200, listed.text
    served = {definition["code"]: definition for definition in listed.json()}
    assert [served.get(entry["code"]) for entry in entries] == entries


async def test_each_seed_entry_is_a_body_the_admin_endpoint_takes_unchanged(
    permits: Permits,
) -> None:
    for entry in kota_tangerang_seed():
        replaced = await permits.client.put(
            f"/v1/permits/types/{entry['code']}", json=entry, headers=permits.admin()
        )

        assert replaced.status_code == 200, replaced.text
        assert replaced.json() == entry


async def test_seeding_again_adds_nothing(permits_database: str, permits: Permits) -> None:
    # `permits` first: its app has seeded the database once already.
    assert await asyncio.to_thread(run_seed, permits_database, seed_catalogue) == 0
