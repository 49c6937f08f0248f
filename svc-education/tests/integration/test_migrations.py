"""The migrations on a database that already holds schools: capacities are filled in, and
the downgrade undoes it."""

import asyncio
from decimal import Decimal

from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from kota_dev.pytest_plugin import Infrastructure, create_database
from kota_shared.migrations import alembic_config, upgrade_to_head

SCHOOLS = [("10000001", "SD"), ("10000002", "SMP"), ("10000003", "SMA")]


async def test_existing_schools_get_a_typical_capacity_for_their_level(
    infrastructure: Infrastructure,
) -> None:
    url = await create_database(infrastructure, "education_upgrade")
    config = alembic_config("education:migrations", url)
    await asyncio.to_thread(command.upgrade, config, "0001")
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            for npsn, level in SCHOOLS:
                await connection.execute(
                    text(
                        "INSERT INTO schools (id, npsn, name, level, district_code, latitude,"
                        " longitude) VALUES (gen_random_uuid(), :npsn, :name, :level, '367101',"
                        " :lat, :lon)"
                    ),
                    {
                        "npsn": npsn,
                        "name": f"Sekolah {npsn}",
                        "level": level,
                        "lat": Decimal("-6.1"),
                        "lon": Decimal("106.6"),
                    },
                )

        await asyncio.to_thread(upgrade_to_head, "education:migrations", url)

        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT level, capacity FROM schools"))
            capacities = {level: capacity for level, capacity in rows}
        assert capacities == {"SD": 56, "SMP": 256, "SMA": 288}

        # And back: the downgrade undoes it, and the upgrade runs again on the same schools.
        await asyncio.to_thread(command.downgrade, config, "0001")
        await asyncio.to_thread(upgrade_to_head, "education:migrations", url)
        async with engine.connect() as connection:
            again = await connection.scalar(text("SELECT count(*) FROM schools"))
    finally:
        await engine.dispose()
    assert again == len(SCHOOLS)
