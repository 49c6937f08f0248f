"""The run's monitoring databases: created empty (a rebuild migrates them), measured, dropped.

Named after the run, so that a cluster shared with other work keeps them apart.
"""

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine


class Databases:
    """Databases of this run on the cluster ``admin_url`` names; ``drop_all`` at the end."""

    def __init__(self, admin_url: str, run_id: str) -> None:
        self._admin_url = admin_url
        self._run_id = run_id
        self._created: list[str] = []

    async def _admin(self, sql: str) -> None:
        admin = create_async_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as connection:
                await connection.exec_driver_sql(sql)
        finally:
            await admin.dispose()

    async def create(self, role: str) -> str:
        """A new, empty database; its URL."""
        name = f"bench_{role}_{self._run_id}"
        await self._admin(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return make_url(self._admin_url).set(database=name).render_as_string(hide_password=False)

    async def drop_all(self) -> None:
        for name in self._created:
            await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def server_version(self) -> str:
        admin = create_async_engine(self._admin_url)
        try:
            async with admin.connect() as connection:
                return str(await connection.scalar(text("SHOW server_version")))
        finally:
            await admin.dispose()


async def sizes(url: str) -> dict[str, Any]:
    """The database's size on disk and the rows of each of its tables (the read models, and
    the inbox: one row per event applied)."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            size = await connection.scalar(text("SELECT pg_database_size(current_database())"))
            tables = await connection.scalars(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version' ORDER BY tablename"
                )
            )
            rows = {}
            for table in list(tables):
                rows[table] = await connection.scalar(text(f'SELECT count(*) FROM "{table}"'))  # noqa: S608 - names from the catalogue
    finally:
        await engine.dispose()
    return {"database_mb": round(int(size or 0) / 2**20, 1), "rows": rows}
