"""The city's starting catalogue of permit types (``python -m permits.seed``).

Idempotent: a type whose code is already there is left alone, so the seed can run on every
start without overwriting what the city admin has since changed.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared.seeding import run_seed
from permits.catalogue import repository
from permits.catalogue.seed_catalogue import SEED_CATALOGUE
from permits.config import PermitsSettings

SEEDED_BY = "seed"


async def seed_catalogue(session: AsyncSession) -> int:
    return await repository.add_missing(session, SEED_CATALOGUE, updated_by=SEEDED_BY)


def main() -> None:
    added = run_seed(PermitsSettings().database_url, seed_catalogue)
    print(f"permits: added {added} permit types to the catalogue")


if __name__ == "__main__":
    main()
