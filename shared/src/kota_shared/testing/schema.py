"""Compare a migrated database with the models: a hand-written migration must not drift."""

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine


async def schema_differences(database_url: str, metadata: MetaData) -> list[Any]:
    """What autogenerate would still emit; empty when migrations and models agree."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            differences: list[Any] = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), metadata
                )
            )
    finally:
        await engine.dispose()
    return differences
