"""The run's databases, named after it so that a cluster shared with other work keeps them apart."""

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from .model import metadata


class Databases:
    """Databases of this run on the cluster, created with the bench tables, dropped at exit."""

    def __init__(self, admin_url: str, run_id: str) -> None:
        self._admin_url = admin_url
        self._run_id = run_id
        self._created: list[str] = []

    async def create(self, role: str) -> str:
        name = f"bench_{role}_{self._run_id}"
        admin = create_async_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as connection:
                await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            await admin.dispose()
        self._created.append(name)
        url = make_url(self._admin_url).set(database=name).render_as_string(hide_password=False)
        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.run_sync(metadata.create_all)
        finally:
            await engine.dispose()
        return url

    async def drop_all(self) -> None:
        admin = create_async_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as connection:
                for name in self._created:
                    await connection.exec_driver_sql(
                        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                    )
        finally:
            await admin.dispose()

    async def server_version(self) -> str:
        admin = create_async_engine(self._admin_url)
        try:
            async with admin.connect() as connection:
                return str(await connection.scalar(text("SHOW server_version")))
        finally:
            await admin.dispose()
