"""The delivery tests' world: the gateway's identity (citizens with phones, one an officer
registered at a kiosk without one), the information service sending through the provider
simulator, and what each side saw: the messages and their statuses, and the simulator's
inbox of what reached a phone."""

import itertools
import random
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI
from notice_examples import example_params
from sqlalchemy import select

from information.delivery.models import Message
from information.notices import service as notices
from information.notices.drafts import CitizenRecipient, NoticeDraft
from information.notices.kinds import NoticeKind
from kota_dev import residents
from kota_dev.pytest_plugin import AuthHeaders, NotificationSimulator, bearer
from kota_shared.app import ServiceRuntime
from kota_shared.events.envelope import EventData, build_message
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.waiting import eventually

PASSWORD = "kata sandi rahasia 7"
ADMIN = ("delivery.admin", "first admin password 1")
PRIVATE_TOPIC = f"information-delivery-tests-{uuid.uuid4().hex[:8]}"
"""What the delivery tests' app consumes instead of the real topics: events published here
reach this app only, whatever other information apps the session runs."""

_serials = itertools.count(8501)  # NIK serials no other module of the session uses
_rng = random.Random()


def new_resident(*, phone: bool = True) -> dict[str, Any]:
    """A registration body (NIK, name, phone, password) no other test uses."""
    born = date(1960, 1, 1) + timedelta(days=_rng.randrange(0, 40 * 365))
    sex = _rng.choice(["male", "female"])
    day = born.day + (40 if sex == "female" else 0)
    body: dict[str, Any] = {
        "nik": f"367101{day:02d}{born:%m%y}{next(_serials):04d}",
        "full_name": "Warga Pesan",
        "birth_date": born.isoformat(),
        "sex": sex,
    }
    if phone:
        body |= {"phone": f"0812{_rng.randrange(10**7, 10**8)}", "password": PASSWORD}
    return body


@dataclass(frozen=True)
class Citizen:
    account_id: uuid.UUID
    phone: str | None
    """E.164, as identity keeps it and the simulator shows it."""


@dataclass
class Post:
    gateway: httpx.AsyncClient
    registry_url: str
    information: httpx.AsyncClient
    app: FastAPI
    simulator: NotificationSimulator
    clock: MovableClock
    auth_headers: AuthHeaders
    kafka_bootstrap_servers: str

    # Citizens -----------------------------------------------------------------------------

    async def citizen(
        self,
        *,
        channels: Sequence[str] = ("whatsapp", "sms"),
        quiet: tuple[time, time] | None = None,
    ) -> Citizen:
        """A citizen who registered in the app with a phone, and chose how to be reached
        (no quiet hours unless given: a test's outcome must not depend on the hour)."""
        body = new_resident()
        residents.add_resident(self.registry_url, body)
        response = await self.gateway.post("/v1/auth/citizens", json=body)
        assert response.status_code == 201, response.text
        citizen = Citizen(uuid.UUID(response.json()["id"]), "+62" + body["phone"][1:])
        chosen = await self.information.put(
            "/v1/information/preferences",
            json={
                "channels": list(channels),
                "language": "id",
                "quiet_from": quiet[0].isoformat(timespec="minutes") if quiet else None,
                "quiet_until": quiet[1].isoformat(timespec="minutes") if quiet else None,
            },
            headers=self.as_citizen(citizen),
        )
        assert chosen.status_code == 200, chosen.text
        return citizen

    async def kiosk_citizen(self) -> Citizen:
        """A citizen an officer registered at a kiosk, with no phone."""
        officer = await self._officer()
        body = new_resident(phone=False)
        residents.add_resident(self.registry_url, body)
        response = await self.gateway.post("/v1/auth/assisted-citizens", json=body, headers=officer)
        assert response.status_code == 201, response.text
        return Citizen(uuid.UUID(response.json()["citizen"]["id"]), None)

    async def _officer(self) -> dict[str, str]:
        username = f"officer.{uuid.uuid4().hex[:8]}"
        admin = await self._sign_in(*ADMIN)
        created = await self.gateway.post(
            "/v1/auth/officers",
            json={
                "username": username,
                "full_name": "Petugas Uji",
                "roles": ["information_officer"],
                "password": PASSWORD,
            },
            headers=admin,
        )
        assert created.status_code == 201, created.text
        return await self._sign_in(username, PASSWORD)

    async def _sign_in(self, username: str, password: str) -> dict[str, str]:
        response = await self.gateway.post(
            "/v1/auth/token",
            json={"grant_type": "password", "username": username, "password": password},
        )
        assert response.status_code == 200, response.text
        return bearer(response.json()["access_token"])

    def as_citizen(self, citizen: Citizen) -> dict[str, str]:
        return self.auth_headers(str(citizen.account_id), roles=["citizen"])

    # Notices ------------------------------------------------------------------------------

    @property
    def runtime(self) -> ServiceRuntime:
        runtime: ServiceRuntime = self.app.state.runtime
        return runtime

    async def notify(
        self,
        citizen: Citizen,
        *,
        kind: NoticeKind = NoticeKind.INVOICE_OPENED,
        urgent: bool = False,
        params: Mapping[str, Any] | None = None,
        source_id: str | None = None,
    ) -> uuid.UUID:
        """A notice for ``citizen``, recorded as the consumer records one (the kind's
        example parameters, with ``params`` over them); its id."""
        draft = NoticeDraft(
            kind=kind,
            recipient=CitizenRecipient(citizen.account_id),
            params={**example_params()[kind], **(params or {})},
            urgent=urgent,
            subject_ref=f"test:{uuid.uuid4()}",
        )
        async with self.runtime.sessionmaker.begin() as session:
            (notice,) = await notices.record(
                self.runtime.transaction(session),
                [draft],
                source_id=source_id or str(uuid.uuid4()),
                timezone=self.runtime.settings.timezone,
            )
        return notice.id

    async def publish(self, data: EventData, *, subject: str, times: int = 1) -> None:
        """Put an event on the app's private topic as its service would; ``times`` > 1:
        redelivered, the same event id each time."""
        message = build_message(data, source="/kota-live/tests", subject=subject, trace_headers={})
        producer = AIOKafkaProducer(bootstrap_servers=self.kafka_bootstrap_servers)
        await producer.start()
        try:
            for _ in range(times):
                await producer.send_and_wait(
                    PRIVATE_TOPIC,
                    value=message.value,
                    key=message.key.encode(),
                    headers=[(k, v.encode()) for k, v in message.headers.items()],
                )
        finally:
            await producer.stop()

    # What each side saw -------------------------------------------------------------------

    async def messages(self, citizen: Citizen, notice_id: uuid.UUID) -> list[dict[str, Any]]:
        """The notice's messages as its citizen reads them."""
        response = await self.information.get(
            f"/v1/information/notices/{notice_id}/messages", headers=self.as_citizen(citizen)
        )
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()
        return found

    async def statuses(self, citizen: Citizen, notice_id: uuid.UUID) -> list[tuple[str, str]]:
        return [(m["channel"], m["status"]) for m in await self.messages(citizen, notice_id)]

    async def until_statuses(
        self, citizen: Citizen, notice_id: uuid.UUID, expected: list[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        async def probe() -> list[tuple[str, str]]:
            return await self.statuses(citizen, notice_id)

        return await eventually(
            probe, until=lambda found: found == expected, within=30, what=f"{expected}"
        )

    async def rows(self, notice_id: uuid.UUID) -> list[Message]:
        """The notice's message rows, as the database holds them."""
        async with self.runtime.sessionmaker() as session:
            found = await session.scalars(select(Message).where(Message.notice_id == notice_id))
            return list(found)

    async def received(self, citizen: Citizen, channel: str | None = None) -> list[dict[str, Any]]:
        """What the simulator sent to the citizen's phone, newest first."""
        assert citizen.phone is not None
        filters: dict[str, str | int] = {"to": citizen.phone, "limit": 1000}
        if channel is not None:
            filters["channel"] = channel
        return await self.simulator.messages(**filters)

    async def until_received(
        self, citizen: Citizen, count: int, channel: str | None = None
    ) -> list[dict[str, Any]]:
        async def probe() -> list[dict[str, Any]]:
            return await self.received(citizen, channel)

        return await eventually(
            probe, until=lambda found: len(found) >= count, within=30, what=f"{count} sends"
        )

    # The simulator's controls -------------------------------------------------------------

    async def fare(self, citizen: Citizen, **controls: Any) -> None:
        """How the citizen's number fares at the simulator from the next send on."""
        assert citizen.phone is not None
        await self.simulator.control_number(citizen.phone, **controls)

    async def point_receipts(self, channel: str, url: str | None = None) -> None:
        """Send ``channel``'s receipts to ``url`` (by default, to the service)."""
        url = url or f"{self.information.base_url}/v1/information/receipts/{channel}"
        await self.simulator.point_receipts(**{f"{channel}_url": url})

    async def provider(self, channel: str, availability: str) -> None:
        await self.simulator.set_availability(**{channel: availability})

    async def redeliver(self, message_id: str, *, times: int, concurrently: bool) -> list[int]:
        """The simulator sends a message's receipts again; the status codes they got."""
        async with httpx.AsyncClient(base_url=self.simulator.url, timeout=30) as client:
            response = await client.post(
                f"/control/messages/{message_id}/redeliver",
                json={"times": times, "concurrently": concurrently},
            )
        assert response.status_code == 200, response.text
        codes: list[int] = response.json()["status_codes"]
        return codes

    def move_clock(self, by: timedelta) -> datetime:
        self.clock.fixed = (self.clock.fixed or self.clock()) + by
        return self.clock.fixed
