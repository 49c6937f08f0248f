"""Demo facilities for a local Kota Tangerang suite (``python -m health.seed``).

Idempotent: a facility whose code is already there is left alone, so the seed can run on every
start of a demo without duplicating or overwriting what officers have since changed. Run it
after the service has migrated its database (it does so on start).
"""

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from health.config import HealthSettings
from health.facilities.models import Facility, FacilityKind
from kota_shared.seeding import run_seed

DEMO_FACILITIES: list[dict[str, Any]] = [
    {
        "code": "P3671010101",
        "name": "Puskesmas Tanah Tinggi",
        "kind": FacilityKind.PUSKESMAS,
        "district_code": "367101",
        "address": "Jl. Ciliwung No. 1, Tanah Tinggi, Kec. Tangerang, Kota Tangerang 15119",
    },
    {
        "code": "P3671050101",
        "name": "Puskesmas Cipondoh",
        "kind": FacilityKind.PUSKESMAS,
        "district_code": "367105",
        "address": "Jl. KH. Hasyim Ashari No. 12, Cipondoh, Kec. Cipondoh, Kota Tangerang 15148",
    },
    {
        "code": "P3671070101",
        "name": "Puskesmas Karawaci Baru",
        "kind": FacilityKind.PUSKESMAS,
        "district_code": "367107",
        "address": "Jl. Bugenvil Raya No. 3, Karawaci Baru, Kec. Karawaci, Kota Tangerang 15116",
    },
]


async def seed_demo(session: AsyncSession) -> int:
    """Add the demo facilities that are missing; returns how many were added."""
    added = await session.scalars(
        insert(Facility)
        .values(DEMO_FACILITIES)
        .on_conflict_do_nothing(index_elements=[Facility.code])
        .returning(Facility.id)
    )
    return len(added.all())


def main() -> None:
    added = run_seed(HealthSettings().database_url, seed_demo)
    print(f"health: added {added} demo facilities")


if __name__ == "__main__":
    main()
