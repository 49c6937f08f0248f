"""Alembic, shared: each service's ``env.py`` is two lines, and services migrate on start."""

import asyncio
import os

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool


def alembic_config(script_location: str, database_url: str) -> Config:
    """``script_location`` is package notation (``permits:migrations``), so it works installed."""
    config = Config()
    config.set_main_option("script_location", script_location)
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_to_head(script_location: str, database_url: str) -> None:
    """Blocking; call it in a thread (alembic runs its own event loop for the async driver)."""
    command.upgrade(alembic_config(script_location, database_url), "head")


def run_env(target_metadata: MetaData) -> None:
    """The body of every service's ``migrations/env.py`` (online mode only)."""
    # The service passes its URL; a developer running the alembic CLI exports DATABASE_URL.
    url = context.config.get_main_option("sqlalchemy.url") or os.environ["DATABASE_URL"]

    def migrate(connection: Connection) -> None:
        # Replicas starting together take turns: the first migrates, the rest find it done.
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('kota.migrations'))"))
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            async with engine.begin() as connection:
                await connection.run_sync(migrate)
        finally:
            await engine.dispose()

    asyncio.run(run())
