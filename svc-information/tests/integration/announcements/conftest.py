"""Announcements on real PostgreSQL and Kafka: the app in-process with its fan-out task
running, and a clock the tests move."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from announcement_office import Office, settings_for
from fastapi import FastAPI

from information.main import create_app
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, migrated_database, running_app
from kota_shared.testing.clock import MovableClock


@pytest.fixture(scope="session")
async def announcements_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "information:migrations", "information")


@pytest.fixture(scope="session")
def announcements_clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="session")
def announcements_app(
    announcements_database: str, service_env: dict[str, Any], announcements_clock: MovableClock
) -> FastAPI:
    settings = settings_for(
        announcements_database,
        service_env,
        announcement_fan_out_chunk=7,  # several chunks per audience, even for a few citizens
        public_feed_url="https://kota.example/v1/information/feed",
    )
    return create_app(settings, clock=announcements_clock)


@pytest.fixture(scope="session")
async def announcements_client(announcements_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(announcements_app) as client:
        yield client


@pytest.fixture
def office(
    announcements_client: httpx.AsyncClient,
    announcements_app: FastAPI,
    auth_headers: AuthHeaders,
    announcements_clock: MovableClock,
) -> Office:
    announcements_clock.fixed = None
    return Office(
        client=announcements_client,
        app=announcements_app,
        auth_headers=auth_headers,
        clock=announcements_clock,
    )
