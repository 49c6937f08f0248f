"""A running suite as the end-to-end tests see it: where the gateway is, and how to sign in."""

import asyncio
import itertools
import json
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import jwt
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import TopicPartition
from cryptography.hazmat.primitives import serialization
from standardwebhooks.webhooks import Webhook

from kota_contracts import services as registry
from kota_dev import kafka, residents
from kota_dev.suite import NOTIFYSIM, PAYSIM, REGSIM

SERVICES = tuple(service.name for service in registry.SERVICES)
"""Every service behind the gateway, as the registry declares them."""
PAYSIM_OFFSET = PAYSIM.port_offset
"""Where the payment provider simulator listens, from the gateway's port (``kota up``'s layout)."""


def beside_gateway(gateway: httpx.Client, offset: int) -> str:
    """The URL of what ``kota up`` runs ``offset`` ports above the gateway."""
    assert gateway.base_url.port is not None
    return f"http://127.0.0.1:{gateway.base_url.port + offset}"


def civil_registry(gateway: httpx.Client) -> str:
    """The civil registry simulator of the suite ``gateway`` belongs to: a citizen registers
    only once the registry knows them, so tests add their people there first."""
    return beside_gateway(gateway, REGSIM.port_offset)


@dataclass
class Suite:
    gateway: str
    state_dir: Path
    process: subprocess.Popen[bytes]
    ports: list[int]
    log: Path

    def service_url(self, name: str) -> str:
        """Where a service listens in this suite (behind the gateway, not public)."""
        offset = registry.declared(name).port_offset
        return f"http://127.0.0.1:{int(self.gateway.rsplit(':', 1)[1]) + offset}"

    @property
    def paysim(self) -> str:
        """The simulated bank: tests pay invoices here, as a citizen's banking app would."""
        port = int(self.gateway.rsplit(":", 1)[1]) + PAYSIM_OFFSET
        return f"http://127.0.0.1:{port}"

    @property
    def notifysim(self) -> str:
        """The simulated SMS and WhatsApp providers: ``/messages`` lists what phones received."""
        port = int(self.gateway.rsplit(":", 1)[1]) + NOTIFYSIM.port_offset
        return f"http://127.0.0.1:{port}"

    @property
    def kafka(self) -> kafka.KafkaBroker:
        """The suite's broker (SASL/SCRAM): ``.security(principal)`` connects as a service."""
        return kafka.attach(self.state_dir / "kafka")

    def signed_settlement(
        self, invoice: dict[str, Any], *, provider_transaction_id: str
    ) -> tuple[bytes, dict[str, str]]:
        """A settlement notice for ``invoice`` signed with the provider's secret, as if the
        bank had sent it (body and headers for POST /v1/payments/callbacks/settlements)."""
        secret = (self.state_dir / "provider-webhook-secret").read_text()
        now = datetime.now(UTC)
        body = json.dumps(
            {
                "type": "payment.settled",
                "provider_transaction_id": provider_transaction_id,
                "channel": "va",
                "reference": invoice["va_number"],
                "amount": invoice["amount_rupiah"],
                "currency": "IDR",
                "paid_at": now.isoformat(),
            }
        )
        message_id = f"msg_{provider_transaction_id}"
        return body.encode(), {
            "webhook-id": message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, now, body),
            "content-type": "application/json",
        }

    def token(self, subject: str, *, roles: list[str], ttl: int = 600) -> str:
        """Signed with the gateway's own key, as the gateway's login will sign it."""
        (key_file,) = (self.state_dir / "gateway-keys").glob("*.pem")
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        now = int(time.time())
        claims = {
            "iss": self.gateway,
            "aud": "kota-live",
            "sub": subject,
            "typ": "access",
            "iat": now,
            "exp": now + ttl,
            "roles": roles,
        }
        return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": key_file.stem})  # type: ignore[arg-type]

    def headers(self, subject: str, *, roles: list[str]) -> dict[str, Any]:
        return {"Authorization": f"Bearer {self.token(subject, roles=roles)}"}


T = TypeVar("T")


def eventually(
    probe: Callable[[], T], *, until: Callable[[T], bool], within: float = 30, what: str
) -> T:
    """Call ``probe`` until ``until(result)`` holds; fail with the last result at the deadline."""
    deadline = time.monotonic() + within
    while True:
        result = probe()
        if until(result):
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}; last: {result!r}"
        time.sleep(0.2)


# People acting through the gateway, as the app and the back office do.

# From 101: the registry's demo residents (docs/registry-simulator.md) hold the low serials.
_citizen_serials = itertools.count(101)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201ab2c9c9a0000000049454e44ae426082"
)


def sign_in(gateway: httpx.Client, username: str, password: str) -> dict[str, str]:
    """Sign in with the password grant; returns the Authorization header."""
    response = gateway.post(
        "/v1/auth/token",
        json={"grant_type": "password", "username": username, "password": password},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def new_citizen(gateway: httpx.Client) -> dict[str, str]:
    """Register a new citizen (a man born 1 January 1970 in Kecamatan Tangerang, alone on
    his family card) and sign in."""
    headers, _family = new_parent(gateway, children=[])
    return headers


def new_parent(
    gateway: httpx.Client, *, children: list[dict[str, Any]]
) -> tuple[dict[str, str], dict[str, Any]]:
    """A citizen at the head of a family card with ``children`` (the simulator's member
    shape: ``name``, ``birth_date``, ``sex``; it gives their NIKs), in the civil registry
    first, then registered and signed in. Returns his Authorization header and the card."""
    serial = next(_citizen_serials)
    citizen = {
        "nik": f"367101010170{serial:04d}",
        "full_name": "Agus Salim",
        "phone": f"+6281300{serial:06d}",
        "password": "kota-live-rahasia",
        "birth_date": "1970-01-01",
        "sex": "male",
    }
    head = residents.member(
        nik=citizen["nik"],
        full_name=citizen["full_name"],
        birth_date=citizen["birth_date"],
        sex="male",
    )
    family = residents.add_family(
        civil_registry(gateway),
        [head, *({**child, "relationship": "ANAK"} for child in children)],
        issued_on=date(2019, 3, 1),
    )
    registered = gateway.post("/v1/auth/citizens", json=citizen)
    assert registered.status_code == 201, registered.text
    return sign_in(gateway, citizen["nik"], citizen["password"]), family


def new_staff(
    gateway: httpx.Client, suite: Suite, username: str, roles: list[str]
) -> dict[str, str]:
    """An officer created by the city admin (`make up`'s first admin), signed in."""
    admin = sign_in(gateway, "admin", (suite.state_dir / "admin-password").read_text())
    password = f"{username}-rahasia-1"
    created = gateway.post(
        "/v1/auth/officers",
        json={
            "username": username,
            "full_name": username.title(),
            "roles": roles,
            "password": password,
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    return sign_in(gateway, username, password)


def apply(
    gateway: httpx.Client, citizen: dict[str, str], permit_type: str, fields: dict[str, Any]
) -> str:
    """Draft, attach every required document, and submit; returns the application id."""
    drafted = gateway.post(
        "/v1/permits/applications",
        json={
            "permit_type": permit_type,
            "district_code": "367101",
            "holder_name": "Agus Salim",
            "fields": fields,
        },
        headers=citizen,
    )
    assert drafted.status_code == 201, drafted.text
    application_id: str = drafted.json()["id"]
    definition = gateway.get(f"/v1/permits/types/{permit_type}").json()
    for document in definition["documents"]:
        if document["required"]:
            pdf = "application/pdf" in document["content_types"]
            name, content = (f"{document['kind']}.pdf", PDF) if pdf else ("photo.png", PNG)
            uploaded = gateway.post(
                f"/v1/permits/applications/{application_id}/documents",
                data={"kind": document["kind"]},
                files={"file": (name, content, "application/octet-stream")},
                headers=citizen,
            )
            assert uploaded.status_code == 201, uploaded.text
    submitted = gateway.post(f"/v1/permits/applications/{application_id}/submit", headers=citizen)
    assert submitted.status_code == 200, submitted.text
    return application_id


# The spine: a permit with a fee, approved, paid at the bank and issued.

APPLICATIONS = "/v1/permits/applications"
BILLBOARD = {
    "site_address": "Jl. Jenderal Sudirman No. 1, Tangerang",
    "ad_type": "billboard",
    "width_m": "4",
    "height_m": "8",
    "faces": 2,
    "content": "Festival Kuliner Kota Tangerang",
    "start_date": "2027-01-04",
    "end_date": "2027-03-31",
}
"""A REKLAME (billboard) application's fields: a permit with a fee."""


def approved_awaiting_payment(
    gateway: httpx.Client, citizen: dict[str, str], officer: dict[str, str]
) -> str:
    """A billboard permit applied for by ``citizen``, claimed and approved by ``officer``
    (a ``permits_officer``): its fee assessed, its invoice to come. Returns its id."""
    application_id = apply(gateway, citizen, "REKLAME", BILLBOARD)
    assert (
        gateway.post(f"{APPLICATIONS}/{application_id}/claim", headers=officer).status_code == 200
    )
    approved = gateway.post(f"{APPLICATIONS}/{application_id}/approve", headers=officer)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "awaiting_payment"
    assert approved.json()["fee_amount"] > 0
    return application_id


def invoice_on_home_screen(
    gateway: httpx.Client, citizen: dict[str, str], application_id: str
) -> dict[str, Any]:
    """The application's invoice, once payments has opened it and the home screen lists it."""

    def unpaid() -> list[dict[str, Any]]:
        overview = gateway.get("/v1/me/overview", headers=citizen)
        assert overview.status_code == 200, overview.text
        items: list[dict[str, Any]] = overview.json()["sections"]["unpaid_invoices"]["items"]
        return [
            i for i in items if i["source_reference"] == f"permits:application:{application_id}"
        ]

    (invoice,) = eventually(unpaid, until=bool, what="the invoice on the home screen")
    return invoice


def callback_acknowledged(suite: Suite, provider_transaction_id: str) -> None:
    """Wait until payments has answered the bank's callback for the transaction with 200."""
    transaction = eventually(
        lambda: httpx.get(
            f"{suite.paysim}/simulator/transactions/{provider_transaction_id}"
        ).json(),
        until=lambda t: t["acknowledged"],
        what="payments to acknowledge the provider's callback",
    )
    assert transaction["attempts"][-1]["status_code"] == 200


def pay_by_va(suite: Suite, invoice: dict[str, Any]) -> dict[str, Any]:
    """Pay ``invoice`` in full to its virtual account at the bank; returns the bank's
    transaction once payments has acknowledged its callback."""
    paid = httpx.post(
        f"{suite.paysim}/simulator/va/{invoice['va_number']}/payments",
        json={"amount": invoice["amount_rupiah"]},
    )
    assert paid.status_code == 201, paid.text
    transaction: dict[str, Any] = paid.json()
    callback_acknowledged(suite, transaction["provider_transaction_id"])
    return transaction


def issued_and_verified(
    gateway: httpx.Client, citizen: dict[str, str], application_id: str
) -> dict[str, Any]:
    """The permit, once issued after payment, its verification link checked by anyone."""
    eventually(
        lambda: gateway.get(f"{APPLICATIONS}/{application_id}", headers=citizen).json()["status"],
        until=lambda status: status == "issued",
        what="the permit issued after payment",
    )
    permit: dict[str, Any] = gateway.get(
        f"{APPLICATIONS}/{application_id}/permit", headers=citizen
    ).json()
    assert permit["number"].startswith("REKLAME/3671/")
    verified = httpx.get(permit["verification_url"])  # anyone, no token
    assert verified.json()["validity"] == "valid"
    return permit


# Events as the broker holds them: read and written as the services' own principals.


@dataclass(frozen=True)
class Redelivery:
    """What `redeliver` put on a topic again."""

    event_types: list[str]
    """The CloudEvents types of one copy of the aggregate's events, in order."""
    written_through: dict[tuple[str, int], int]
    """Per (topic, partition), the offset after the last copy written."""


def redeliver(
    suite: Suite, *, topic: str, key: str, times: int, reader: str, writer: str
) -> Redelivery:
    """Every event keyed ``key`` (one aggregate's) on ``topic`` so far, read as the
    principal ``reader`` and written back ``times`` more times as ``writer`` (the topic's
    owner), byte for byte: the same CloudEvent ids, as a producer's retry or a replay would
    bring them again."""
    return asyncio.run(_redeliver(suite.kafka, topic, key.encode(), times, reader, writer))


async def _redeliver(
    broker: kafka.KafkaBroker, topic: str, key: bytes, times: int, reader: str, writer: str
) -> Redelivery:
    records = [r for r in await _records_so_far(broker, topic, principal=reader) if r.key == key]
    producer = AIOKafkaProducer(
        bootstrap_servers=broker.bootstrap_servers,
        enable_idempotence=True,
        **broker.security(writer).client_options(),
    )
    await producer.start()
    written: dict[tuple[str, int], int] = {}
    try:
        for _ in range(times):
            for record in records:
                sent = await producer.send_and_wait(
                    topic, value=record.value, key=record.key, headers=list(record.headers)
                )
                written[(sent.topic, sent.partition)] = sent.offset + 1
    finally:
        await producer.stop()
    return Redelivery(
        event_types=[json.loads(record.value)["type"] for record in records],
        written_through=written,
    )


async def _records_so_far(broker: kafka.KafkaBroker, topic: str, *, principal: str) -> list[Any]:
    """Every committed record of ``topic`` up to its end now, read without a consumer
    group (manual assignment), so no group's offsets move."""
    reader = AIOKafkaConsumer(
        bootstrap_servers=broker.bootstrap_servers,
        enable_auto_commit=False,
        isolation_level="read_committed",
        **broker.security(principal).client_options(),
    )
    partitions = await _partitions(broker, topic, principal=principal)
    await reader.start()
    try:
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        ends: dict[TopicPartition, int] = await reader.end_offsets(partitions)
        deadline = time.monotonic() + 30
        records: list[Any] = []
        while [tp for tp, end in ends.items() if await reader.position(tp) < end]:
            assert time.monotonic() < deadline, f"timed out reading {topic} up to {ends}"
            for batch in (await reader.getmany(timeout_ms=500)).values():
                records.extend(batch)
        return records
    finally:
        await reader.stop()


async def _partitions(
    broker: kafka.KafkaBroker, topic: str, *, principal: str
) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=broker.bootstrap_servers,
        **broker.security(principal).client_options(),
    )
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return [TopicPartition(topic, p["partition"]) for p in described["partitions"]]


def committed_offsets(suite: Suite, *, group: str, principal: str) -> dict[tuple[str, int], int]:
    """Where consumer ``group`` has committed, per (topic, partition): it has applied every
    record before that offset. Asked as ``principal``, whose namespace holds the group."""

    async def ask() -> dict[tuple[str, int], int]:
        broker = suite.kafka
        admin = AIOKafkaAdminClient(
            bootstrap_servers=broker.bootstrap_servers,
            **broker.security(principal).client_options(),
        )
        await admin.start()
        try:
            offsets = await admin.list_consumer_group_offsets(group)
        finally:
            await admin.close()
        return {(tp.topic, tp.partition): committed.offset for tp, committed in offsets.items()}

    return asyncio.run(ask())
