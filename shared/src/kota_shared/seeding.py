"""Run a service's demo-data seed in one transaction (``python -m <service>.seed``)."""

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from kota_shared import db

Seed = Callable[[AsyncSession], Awaitable[int]]
"""Adds what is missing (idempotently) and returns how many rows it added."""


async def _run(database_url: str, seed: Seed) -> int:
    engine = db.create_engine(database_url, pool_size=1)
    try:
        async with db.create_sessionmaker(engine)() as session, session.begin():
            return await seed(session)
    finally:
        await engine.dispose()


def run_seed(database_url: str, seed: Seed) -> int:
    return asyncio.run(_run(database_url, seed))
