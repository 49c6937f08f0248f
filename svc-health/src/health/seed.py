"""Demo facilities and their polyclinic services for a local Kota Tangerang suite
(``python -m health.seed``).

Idempotent: a facility whose code is already there, or a service a facility already offers,
is left alone, so the seed can run on every start of a demo without duplicating or
overwriting what officers have since changed (a quota, the days a poli runs). Run it after
the service has migrated its database (it does so on start).
"""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from health.config import HealthSettings
from health.facilities import repository
from health.facilities.models import FacilityKind
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

MON_SAT, MON_FRI = [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5]


def _service(code: str, name: str, quota: int, weekdays: list[int]) -> dict[str, Any]:
    return {"code": code, "name": name, "daily_quota": quota, "open_weekdays": weekdays}


# Puskesmas polyclinics as Kota Tangerang runs them: general, dental and maternal and child
# health (KIA/KB) most days; the elderly, sick toddlers (MTBS) and immunisation on their days.
DEMO_SERVICES: dict[str, list[dict[str, Any]]] = {
    "P3671010101": [
        _service("umum", "Poli Umum", 60, MON_SAT),
        _service("gigi", "Poli Gigi dan Mulut", 20, MON_FRI),
        _service("kia", "Poli KIA/KB", 30, MON_SAT),
        _service("lansia", "Poli Lansia", 25, [2, 4]),
    ],
    "P3671050101": [
        _service("umum", "Poli Umum", 80, MON_SAT),
        _service("gigi", "Poli Gigi dan Mulut", 25, MON_FRI),
        _service("kia", "Poli KIA/KB", 40, MON_SAT),
        _service("mtbs", "Poli MTBS (Balita Sakit)", 20, MON_FRI),
        _service("imunisasi", "Imunisasi", 40, [3]),
    ],
    "P3671070101": [
        _service("umum", "Poli Umum", 50, MON_SAT),
        _service("gigi", "Poli Gigi dan Mulut", 15, [1, 3, 5]),
        _service("kia", "Poli KIA/KB", 25, MON_SAT),
    ],
}


async def seed_demo(session: AsyncSession) -> int:
    """Add the demo facilities and services that are missing; returns how many rows were added."""
    added = await repository.add_missing_facilities(session, facilities=DEMO_FACILITIES)
    ids = await repository.ids_by_code(session, codes=DEMO_SERVICES.keys())
    services = [
        {"facility_id": ids[code], **service}
        for code, offered in DEMO_SERVICES.items()
        for service in offered
    ]
    return added + await repository.add_missing_services(session, services=services)


def main() -> None:
    added = run_seed(HealthSettings().database_url, seed_demo)
    print(f"health: added {added} demo facilities and services")


if __name__ == "__main__":
    main()
