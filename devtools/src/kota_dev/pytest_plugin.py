"""pytest plugin: real PostgreSQL and Kafka for the whole run, a database per service.

The infrastructure is started once per test session, by the plugin itself, unless the
``kota test`` command already started it and said where (``KOTA_TEST_POSTGRES_URL`` and
``KOTA_TEST_KAFKA``). Nothing here is a stand-in: tests talk to the real servers.

It lives in the dev tools, which start those servers, so that the shared library never
imports the tools that are built on it.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from kota_dev import kafka as kafka_dev
from kota_dev import postgres as postgres_dev
from kota_shared.migrations import upgrade_to_head
from kota_shared.testing.tokens import TestSigner, serve_jwks


@dataclass(frozen=True)
class Infrastructure:
    """Where the real servers of this test session listen."""

    postgres_url: str  # a superuser URL on the maintenance database
    kafka_bootstrap_servers: str


@pytest.fixture(scope="session")
def infrastructure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infrastructure]:
    postgres_url = os.environ.get("KOTA_TEST_POSTGRES_URL")
    kafka = os.environ.get("KOTA_TEST_KAFKA")
    if postgres_url and kafka:
        yield Infrastructure(postgres_url=postgres_url, kafka_bootstrap_servers=kafka)
        return
    base = tmp_path_factory.mktemp("infra")
    cluster = postgres_dev.start_cluster(base / "postgres")
    broker = kafka_dev.start_broker(base / "kafka", cache_dir=kafka_cache_dir(), quick_start=True)
    try:
        yield Infrastructure(
            postgres_url=cluster.url(), kafka_bootstrap_servers=broker.bootstrap_servers
        )
    finally:
        kafka_dev.stop_broker(broker)
        postgres_dev.stop_cluster(cluster)


def kafka_cache_dir() -> Path:
    """Where the Kafka jars are kept between runs (git-ignored)."""
    return Path(os.environ.get("KOTA_CACHE_DIR", Path.cwd() / ".kota" / "cache"))


async def create_database(infrastructure: Infrastructure, prefix: str) -> str:
    """A new, empty database owned by the superuser; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = create_async_engine(infrastructure.postgres_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        await engine.dispose()
    return (
        make_url(infrastructure.postgres_url)
        .set(database=name)
        .render_as_string(hide_password=False)
    )


async def migrated_database(infrastructure: Infrastructure, migrations: str, prefix: str) -> str:
    """A new database with a service's migrations applied, as the service does on start."""
    url = await create_database(infrastructure, prefix)
    await asyncio.to_thread(upgrade_to_head, migrations, url)
    return url


@pytest.fixture(scope="session")
def signer() -> TestSigner:
    return TestSigner()


@pytest.fixture(scope="session")
def jwks_url(signer: TestSigner) -> Iterator[str]:
    with serve_jwks(signer) as url:
        yield url


@pytest.fixture(scope="session")
def service_env(
    infrastructure: Infrastructure, jwks_url: str, signer: TestSigner
) -> dict[str, Any]:
    """Settings every service under test shares; add ``database_url`` per service."""
    return {
        "kafka_bootstrap_servers": infrastructure.kafka_bootstrap_servers,
        "jwks_url": jwks_url,
        "token_issuer": signer.issuer,
        "token_audience": signer.audience,
        "migrate_on_start": False,
        "outbox_poll_seconds": 0.5,
    }


@asynccontextmanager
async def running_app(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Run ``app``'s lifespan and talk to it in-process over ASGI."""
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


AuthHeaders = Callable[..., dict[str, str]]


@pytest.fixture(scope="session")
def auth_headers(signer: TestSigner) -> AuthHeaders:
    """``auth_headers("citizen-1", roles=["citizen"])`` → an Authorization header."""

    def make(subject: str, **kwargs: Any) -> dict[str, str]:
        return bearer(signer.issue(subject, **kwargs))

    return make
