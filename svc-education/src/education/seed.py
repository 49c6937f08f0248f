"""Demo schools for a local Kota Tangerang suite (``python -m education.seed``).

Idempotent: a school whose NPSN is already there is left alone, so the seed can run on every
start of a demo without duplicating or overwriting what officers have since changed. Run it
after the service has migrated its database (it does so on start).
"""

from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from education.config import EducationSettings
from education.schools import repository
from kota_contracts.education import SchoolLevel
from kota_shared.seeding import run_seed

# Capacities are new pupils per year: classes times the largest class the national standard
# allows (SD 28, SMP 32, SMA 36 pupils).
DEMO_SCHOOLS: list[dict[str, Any]] = [
    {
        "npsn": "20603041",
        "name": "SD Negeri Sukasari 1",
        "level": SchoolLevel.SD,
        "district_code": "367101",
        "latitude": Decimal("-6.176812"),
        "longitude": Decimal("106.634510"),
        "capacity": 84,  # 3 classes of 28
    },
    {
        "npsn": "20603115",
        "name": "SMP Negeri 1 Tangerang",
        "level": SchoolLevel.SMP,
        "district_code": "367101",
        "latitude": Decimal("-6.178306"),
        "longitude": Decimal("106.631467"),
        "capacity": 320,  # 10 classes of 32
    },
    {
        "npsn": "20606856",
        "name": "SMA Negeri 1 Tangerang",
        "level": SchoolLevel.SMA,
        "district_code": "367101",
        "latitude": Decimal("-6.176455"),
        "longitude": Decimal("106.627883"),
        "capacity": 360,  # 10 classes of 36
    },
    {
        "npsn": "20606865",
        "name": "SMA Negeri 7 Tangerang",
        "level": SchoolLevel.SMA,
        "district_code": "367107",
        "latitude": Decimal("-6.182420"),
        "longitude": Decimal("106.603760"),
        "capacity": 324,  # 9 classes of 36
    },
]


async def seed_demo(session: AsyncSession) -> int:
    """Add the demo schools that are missing; returns how many were added."""
    return await repository.add_missing(session, schools=DEMO_SCHOOLS)


def main() -> None:
    added = run_seed(EducationSettings().database_url, seed_demo)
    print(f"education: added {added} demo schools")


if __name__ == "__main__":
    main()
