"""PostgreSQL goes away under a request: the caller is told 503 and when to retry, then served.

The cluster is the test's own, so stopping it disturbs no other test. The client keeps
httpx's default ``raise_app_exceptions``: an error that escaped the app after its answer (as
the 500 path does) fails the test, so a passing 503 is an ordinary, handled response.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from kota_dev import postgres as postgres_dev
from kota_shared.db import DbSession, create_engine, create_sessionmaker
from kota_shared.problems import install_problem_handlers

metadata = MetaData()
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text", String(64), nullable=False),
)


@dataclass
class Pause:
    """Holds a request mid-transaction while the test takes the database away."""

    reached: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self) -> None:
        self.reached.set()
        await self.release.wait()


def create_app(engine: AsyncEngine, pause: Pause) -> FastAPI:
    app = FastAPI()
    app.state.sessionmaker = create_sessionmaker(engine)
    install_problem_handlers(app)

    @app.get("/notes/count")
    async def count(session: DbSession) -> dict[str, int]:
        return {"count": int(await session.scalar(select(func.count()).select_from(notes)) or 0)}

    @app.post("/notes", status_code=201)
    async def add(session: DbSession, then_query: bool = False) -> dict[str, str]:
        await session.execute(insert(notes).values(text="tersimpan"))
        await pause()
        if then_query:
            await session.execute(text("SELECT 1"))
        return {"status": "saved"}  # DbSession commits after this, on the same connection

    return app


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[postgres_dev.PostgresCluster]:
    started = await asyncio.to_thread(postgres_dev.start_cluster, tmp_path / "pg")
    yield started
    await asyncio.to_thread(postgres_dev.stop_cluster, started)


@pytest.fixture
async def engine(cluster: postgres_dev.PostgresCluster) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(cluster.url(), pool_size=2)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def pause() -> Pause:
    return Pause()


@pytest.fixture
async def client(engine: AsyncEngine, pause: Pause) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(engine, pause))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def assert_database_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    assert response.json()["code"] == "database_unavailable"


async def test_a_stopped_database_answers_503_until_it_is_back(client, cluster, caplog) -> None:
    assert (await client.get("/notes/count")).status_code == 200  # an outage, not a cold start

    await asyncio.to_thread(postgres_dev.stop_cluster, cluster)
    with caplog.at_level(logging.WARNING, logger="kota_shared.problems"):
        response = await client.get("/notes/count", headers={"Accept-Language": "id"})

    assert_database_unavailable(response)
    assert response.json()["title"].startswith("Kami sedang tidak dapat mengakses data")
    [logged] = [r for r in caplog.records if r.name == "kota_shared.problems"]
    assert (logged.levelname, logged.exc_info) == ("WARNING", None)  # one line, no traceback

    assert await asyncio.to_thread(postgres_dev.start_cluster, cluster.data_dir) == cluster
    back = await client.get("/notes/count")
    assert (back.status_code, back.json()) == (200, {"count": 0})


@pytest.mark.parametrize("then_query", [True, False], ids=["failed-query", "failed-commit"])
async def test_a_restart_mid_request_answers_503_and_keeps_nothing(
    client, cluster, pause, then_query
) -> None:
    request = asyncio.create_task(client.post("/notes", params={"then_query": then_query}))
    async with asyncio.timeout(30):
        await pause.reached.wait()

    await asyncio.to_thread(postgres_dev.restart_cluster, cluster, mode="fast")
    pause.release.set()

    assert_database_unavailable(await request)
    back = await client.get("/notes/count")
    assert (back.status_code, back.json()) == (200, {"count": 0})
