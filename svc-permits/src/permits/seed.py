"""The city's starting catalogue of permit types (``python -m permits.seed``).

Idempotent: a type whose code is already there is left alone, so the seed can run on every
start without overwriting what the city admin has since changed. The types come from the
configured city's data file (`permits.catalogue.seeds`).
"""

from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.seeding import run_seed
from permits.catalogue import repository, seeds
from permits.config import KOTA_TANGERANG, PermitsSettings

SEEDED_BY = "seed"


async def seed_catalogue(session: AsyncSession, *, city_code: str = KOTA_TANGERANG) -> int:
    return await repository.add_missing(
        session, definitions=seeds.load(city_code), updated_by=SEEDED_BY
    )


def main() -> None:
    settings = PermitsSettings()
    added = run_seed(settings.database_url, partial(seed_catalogue, city_code=settings.city_code))
    print(f"permits: added {added} permit types to the catalogue")


if __name__ == "__main__":
    main()
