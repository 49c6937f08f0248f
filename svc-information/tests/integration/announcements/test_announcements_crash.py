"""A fan-out killed mid-way (SIGKILL of the real service process, as an orchestrator's OOM
kill or a power cut would) finishes after a restart: every citizen of the audience holds the
announcement, nobody holds it twice, and the progress counter agrees with the inboxes."""

import asyncio
import json
import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from announcement_office import (
    ANNOUNCEMENTS,
    CILEDUG,
    CIPONDOH,
    PRIVATE_TOPIC,
    announcement,
    exactly,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from information.announcements.models import FanOut
from information.directory.models import AccountKind, DirectoryEntry
from information.notices.models import Notice
from kota_dev.ports import free_port
from kota_dev.processes import RunningService, start_service, stop_service, until_ready
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, migrated_database
from kota_dev.suite import SERVICES
from kota_shared.testing.tokens import TestSigner
from kota_shared.testing.waiting import eventually

AUDIENCE = 3000
OTHERS = 500
CHUNK = 10
"""300 chunks, each its own transaction: plenty of them for a kill to land between two."""
INFORMATION = next(service for service in SERVICES if service.name == "information")


@pytest.fixture
async def crash_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "information:migrations", "information")


@pytest.fixture
async def crash_engine(crash_database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(crash_database)
    yield engine
    await engine.dispose()


@pytest.fixture
def service_process(
    crash_database: str,
    infrastructure: Infrastructure,
    jwks_url: str,
    signer: TestSigner,
    tmp_path: Path,
) -> Iterator[Any]:
    """Starts the information service as a process of its own; stops whatever is left."""
    started: list[RunningService] = []

    async def start() -> RunningService:
        env = {
            "INFORMATION_DATABASE_URL": crash_database,
            "INFORMATION_KAFKA_BOOTSTRAP_SERVERS": infrastructure.kafka_bootstrap_servers,
            "INFORMATION_JWKS_URL": jwks_url,
            "INFORMATION_TOKEN_ISSUER": signer.issuer,
            "INFORMATION_TOKEN_AUDIENCE": signer.audience,
            "INFORMATION_MIGRATE_ON_START": "false",
            "INFORMATION_WATCHED_TOPICS": json.dumps([PRIVATE_TOPIC]),
            "INFORMATION_ANNOUNCEMENT_FAN_OUT_CHUNK": str(CHUNK),
            "INFORMATION_ANNOUNCEMENT_FAN_OUT_POLL_SECONDS": "0.1",
        }
        running = start_service(INFORMATION, port=free_port(), env=env, log_dir=tmp_path)
        started.append(running)
        await until_ready(running, within=90)
        return running

    yield start
    for running in started:
        stop_service(running)


async def _fill_directory(engine: AsyncEngine) -> set[uuid.UUID]:
    """The audience (Cipondoh) and citizens elsewhere, in one statement each."""
    audience = {uuid.uuid4() for _ in range(AUDIENCE)}
    now = datetime.now(UTC)

    def row(account_id: uuid.UUID, kecamatan: str) -> dict[str, Any]:
        return {
            "account_id": account_id,
            "kind": AccountKind.CITIZEN,
            "kecamatan_code": kecamatan,
            "registered_at_kiosk": False,
            "roles": [],
            "registered_at": now,
        }

    rows = [row(a, CIPONDOH) for a in audience] + [
        row(uuid.uuid4(), CILEDUG) for _ in range(OTHERS)
    ]
    async with engine.begin() as connection:
        await connection.execute(DirectoryEntry.__table__.insert(), rows)
    return audience


async def _progress(engine: AsyncEngine, announcement_id: str) -> FanOut | None:
    async with async_sessionmaker(engine)() as session:
        return await session.get(FanOut, uuid.UUID(announcement_id))


async def test_a_fan_out_killed_mid_way_finishes_with_each_citizen_reached_once(
    crash_engine: AsyncEngine, service_process: Any, auth_headers: AuthHeaders
) -> None:
    audience = await _fill_directory(crash_engine)
    first = await service_process()
    officer = auth_headers(str(uuid.uuid4()), roles=["information_officer"])
    async with httpx.AsyncClient(base_url=first.url, timeout=10) as client:
        written = await client.post(
            ANNOUNCEMENTS,
            json=announcement(audience={"kind": "kecamatan", "kecamatan_codes": [CIPONDOH]}),
            headers=officer,
        )
        assert written.status_code == 201, written.text
        announcement_id = written.json()["id"]
        published = await client.post(f"{ANNOUNCEMENTS}/{announcement_id}/publish", headers=officer)
        assert published.status_code == 200, published.text

    await eventually(
        lambda: _progress(crash_engine, announcement_id),
        until=lambda fan_out: fan_out is not None and fan_out.recipients > 0,
        interval=0.005,
        what="the fan-out to commit its first chunks",
    )
    first.process.send_signal(signal.SIGKILL)
    assert await asyncio.to_thread(first.process.wait) == -signal.SIGKILL

    at_the_kill = await _progress(crash_engine, announcement_id)
    assert at_the_kill is not None
    assert at_the_kill.completed_at is None, "the fan-out ended before the kill: nothing proved"
    assert 0 < at_the_kill.recipients < AUDIENCE

    await service_process()
    done = await eventually(
        lambda: _progress(crash_engine, announcement_id),
        until=lambda fan_out: fan_out is not None and fan_out.completed_at is not None,
        within=120,
        what="the restarted service to finish the fan-out",
    )

    async with async_sessionmaker(crash_engine)() as session:
        reached = list(
            await session.scalars(
                select(Notice.recipient_id).where(
                    Notice.source_id == f"announcement:{announcement_id}"
                )
            )
        )
        everyone = await session.scalar(select(func.count()).select_from(Notice))
    assert exactly(reached) == audience
    assert everyone == AUDIENCE  # and no one outside the audience got one
    assert done is not None
    assert done.recipients == AUDIENCE
