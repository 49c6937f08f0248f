"""The information office and the city's accounts, for the announcements' tests: a driver
that writes and publishes announcements through the API, fills the directory through its
repository, and reads what reached the inboxes from the database."""

import struct
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from information.announcements.models import FanOut
from information.config import InformationSettings
from information.directory import repository as directory
from information.notices.models import Notice
from kota_dev.pytest_plugin import AuthHeaders
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.waiting import eventually

ANNOUNCEMENTS = "/v1/information/announcements"
FEED = "/v1/information/feed"
CIPONDOH = "36.71.05"
CILEDUG = "36.71.06"
KARAWACI = "36.71.07"
PRIVATE_TOPIC = f"information-announcement-tests-{uuid.uuid4().hex[:8]}"
"""What these apps' consumer reads instead of the real topics: the directory is filled
through its repository here, and the consumer group must not take identity's events from
other suites' apps running in the same session."""


def settings_for(
    database_url: str, service_env: dict[str, Any], **overrides: Any
) -> InformationSettings:
    return InformationSettings(
        database_url=database_url,
        watched_topics=[PRIVATE_TOPIC],
        announcement_fan_out_poll_seconds=0.1,
        **{**service_env, **overrides},
    )


def announcement(**changes: Any) -> dict[str, Any]:
    """An announcement as an officer writes it: to everyone, current now, for a week."""
    body: dict[str, Any] = {
        "category": "health",
        "title": {
            "id": "Vaksinasi gratis di Puskesmas Cipondoh",
            "en": "Free vaccination at Puskesmas Cipondoh",
        },
        "body": {
            "id": "Sabtu pukul 08.00-12.00. Bawa KTP. Info: 0812-3456-7890.",
            "en": "Saturday 08:00-12:00. Bring your ID card. Info: 0812-3456-7890.",
        },
        "audience": {"kind": "everyone"},
        "publish_at": None,
        "expires_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
    }
    return {**body, **changes}


@dataclass
class Office:
    """The information office and the city's accounts, on one app."""

    client: httpx.AsyncClient
    app: FastAPI
    auth_headers: AuthHeaders
    clock: MovableClock

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        maker: async_sessionmaker[AsyncSession] = self.app.state.sessionmaker
        return maker

    def officer(self, role: str = "information_officer") -> dict[str, str]:
        return self.auth_headers(str(uuid.uuid4()), roles=[role])

    def citizen(self, account_id: uuid.UUID) -> dict[str, str]:
        return self.auth_headers(str(account_id), roles=["citizen"])

    async def citizens(self, count: int, *, kecamatan: str | None) -> list[uuid.UUID]:
        """``count`` citizens identity announced as living in ``kecamatan``."""
        accounts = [uuid.uuid4() for _ in range(count)]
        async with self.sessionmaker() as session, session.begin():
            for account_id in accounts:
                await directory.record_citizen(
                    session,
                    account_id=account_id,
                    kecamatan_code=kecamatan,
                    registered_at_kiosk=False,
                    registered_at=datetime.now(UTC),
                )
        return accounts

    async def staff(self, *roles: str) -> uuid.UUID:
        account_id = uuid.uuid4()
        async with self.sessionmaker() as session, session.begin():
            await directory.record_staff(
                session, account_id=account_id, roles=list(roles), created_at=datetime.now(UTC)
            )
        return account_id

    async def write(
        self, body: dict[str, Any], *, by: dict[str, str] | None = None
    ) -> dict[str, Any]:
        response = await self.client.post(ANNOUNCEMENTS, json=body, headers=by or self.officer())
        assert response.status_code == 201, response.text
        written: dict[str, Any] = response.json()
        return written

    async def publish(self, announcement_id: str) -> dict[str, Any]:
        response = await self.client.post(
            f"{ANNOUNCEMENTS}/{announcement_id}/publish", headers=self.officer()
        )
        assert response.status_code == 200, response.text
        published: dict[str, Any] = response.json()
        return published

    async def published(self, body: dict[str, Any]) -> dict[str, Any]:
        return await self.publish((await self.write(body))["id"])

    async def fanned_out(self, announcement_id: str, *, within: float = 30) -> FanOut:
        """Wait until the fan-out has reached its whole audience."""

        async def progress() -> FanOut | None:
            async with self.sessionmaker() as session:
                return await session.get(FanOut, uuid.UUID(announcement_id))

        done = await eventually(
            progress,
            until=lambda fan_out: fan_out is not None and fan_out.completed_at is not None,
            within=within,
            what=f"announcement {announcement_id} to reach every inbox",
        )
        assert done is not None
        return done

    async def recipients(self, announcement_id: str) -> list[uuid.UUID]:
        """Every inbox holding the announcement, once per notice (so a second copy shows)."""
        async with self.sessionmaker() as session:
            found = await session.scalars(
                select(Notice.recipient_id).where(
                    Notice.source_id == f"announcement:{announcement_id}"
                )
            )
            return list(found)

    async def notices_of(self, announcement_id: str) -> int:
        async with self.sessionmaker() as session:
            return int(
                await session.scalar(
                    select(func.count()).where(
                        Notice.source_id == f"announcement:{announcement_id}"
                    )
                )
                or 0
            )


def exactly(found: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """``found`` as a set, once it is sure nobody in it is there twice."""
    assert len(found) == len(set(found)), "someone received the announcement twice"
    return set(found)


def png() -> bytes:
    """A real PNG of one pixel."""
    raw = b"\x00\xff\x00\x00"  # one scanline: no filter, one red pixel
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)
"""The start of a JFIF file, as a camera's begins."""
