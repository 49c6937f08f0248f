"""Monitoring on real PostgreSQL and Kafka, and a feed that publishes other services' events
the way they do (CloudEvents keyed by their aggregate), then waits until monitoring applied
them."""

import itertools
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI
from monitoring_feed import Feed
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from kota_dev.pytest_plugin import Infrastructure, migrated_database, running_app
from kota_shared.testing.clock import MovableClock
from monitoring.config import MonitoringSettings
from monitoring.main import create_app

ALERT_SWEEP_SECONDS = 0.2


@pytest.fixture(scope="session")
async def monitoring_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "monitoring:migrations", "monitoring")


@pytest.fixture(scope="session")
def monitoring_clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="session")
def monitoring_settings(
    monitoring_database: str, service_env: dict[str, Any]
) -> MonitoringSettings:
    return MonitoringSettings(
        database_url=monitoring_database,
        alert_sweep_seconds=ALERT_SWEEP_SECONDS,
        # No suite runs beside these tests: test_system_health probes a service of its own,
        # with thresholds of its own that this app's probe would otherwise contradict.
        readiness_urls={},
        metrics_urls={},
        system_probe_seconds=3600,
        **service_env,
    )


@pytest.fixture(scope="session")
def monitoring_app(
    monitoring_settings: MonitoringSettings, monitoring_clock: MovableClock
) -> FastAPI:
    return create_app(monitoring_settings, clock=monitoring_clock)


@pytest.fixture(scope="session")
async def monitoring_client(monitoring_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(monitoring_app) as client:
        yield client


@pytest.fixture(scope="session")
async def monitoring_engine(monitoring_database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(monitoring_database)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def feed(
    infrastructure: Infrastructure,
    monitoring_client: httpx.AsyncClient,
    monitoring_engine: AsyncEngine,
) -> AsyncIterator[Feed]:
    producer = AIOKafkaProducer(bootstrap_servers=infrastructure.kafka_bootstrap_servers)
    await producer.start()
    try:
        yield Feed(producer=producer, engine=monitoring_engine)
    finally:
        await producer.stop()


_YEARS = itertools.count(2201)


@pytest.fixture
def year() -> int:
    """A year of the future that only this test writes figures into, so the figures it reads
    back are exactly its own, whatever other tests published on the same topics."""
    return next(_YEARS)
