"""pytest plugin: real PostgreSQL and Kafka for the whole run, a database per service.

The infrastructure is started once per test session, by the plugin itself, unless the
``kota test`` command already started it and said where (``KOTA_TEST_POSTGRES_URL`` and
``KOTA_TEST_KAFKA_DIR``, the broker's data directory). Nothing here is a stand-in: tests talk
to the real servers.

The broker is the secured one ``kota up`` runs (SASL/SCRAM, one principal per service, ACLs
from the registry) plus a harness listener of the tests' own, which asks no credentials and
grants every right: test code plays every outside party through it (it publishes as payments,
reads any topic to check what was published), and the services under test use it too unless
a test gives one its own principal (``infrastructure.kafka_principals.settings("permits")``).

It lives in the dev tools, which start those servers, so that the shared library never
imports the tools that are built on it.
"""

import asyncio
import base64
import dataclasses
import json
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
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
from kota_dev.ports import free_port
from kota_dev.processes import start_service, stop_service, wait_until_ready
from kota_dev.suite import NOTIFYSIM, REGISTRY_INSTITUTION, REGSIM
from kota_shared.events.kafka_security import KafkaSecurity
from kota_shared.migrations import upgrade_to_head
from kota_shared.testing.tokens import TestSigner, serve_jwks


@dataclass(frozen=True)
class KafkaPrincipals:
    """The session broker's authenticating listener and every principal's password."""

    bootstrap_servers: str
    passwords: Mapping[str, str] = field(repr=False)

    def security(self, principal: str) -> KafkaSecurity:
        """``principal``'s credentials (a service's name, or `kafka_access.ADMIN`)."""
        return KafkaSecurity.scram(principal, self.passwords[principal])

    def settings(self, principal: str) -> dict[str, Any]:
        """Service settings that make a service under test connect as ``principal``, as it
        does in ``kota up``, with only what its ACLs allow."""
        return {
            "kafka_bootstrap_servers": self.bootstrap_servers,
            "kafka_security_protocol": "SASL_PLAINTEXT",
            "kafka_sasl_mechanism": "SCRAM-SHA-512",
            "kafka_username": principal,
            "kafka_password": self.passwords[principal],
        }


@dataclass(frozen=True)
class Infrastructure:
    """Where the real servers of this test session listen."""

    postgres_url: str  # a superuser URL on the maintenance database
    kafka_bootstrap_servers: str
    """The broker's harness listener: no credentials asked, every right granted."""
    kafka_principals: KafkaPrincipals
    """The listener the services use outside tests, where each is only itself."""


@pytest.fixture(scope="session")
def infrastructure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Infrastructure]:
    postgres_url = os.environ.get("KOTA_TEST_POSTGRES_URL")
    kafka_dir = os.environ.get("KOTA_TEST_KAFKA_DIR")
    if postgres_url and kafka_dir:
        yield _infrastructure(postgres_url, kafka_dev.attach(Path(kafka_dir)))
        return
    base = tmp_path_factory.mktemp("infra")
    cluster = postgres_dev.start_cluster(base / "postgres")
    try:
        broker = kafka_dev.start_broker(
            base / "kafka",
            cache_dir=kafka_cache_dir(),
            quick_start=True,
            secured=True,
            harness=True,
        )
        try:
            yield _infrastructure(cluster.url(), broker)
        finally:
            kafka_dev.stop_broker(broker)
    finally:
        postgres_dev.stop_cluster(cluster)


def _infrastructure(postgres_url: str, broker: kafka_dev.KafkaBroker) -> Infrastructure:
    if broker.credentials is None or broker.harness_port is None:
        raise RuntimeError(
            f"the broker on {broker.data_dir} must be secured and have a harness listener "
            "(kafka.launch_broker(..., secured=True, harness=True))"
        )
    return Infrastructure(
        postgres_url=postgres_url,
        kafka_bootstrap_servers=broker.harness_bootstrap_servers,
        kafka_principals=KafkaPrincipals(
            bootstrap_servers=broker.bootstrap_servers, passwords=broker.credentials
        ),
    )


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


@dataclass(frozen=True)
class RegistrySimulator:
    """The civil registry simulator a test run started, and the agency account it knows."""

    url: str
    institution: str
    user_id: str
    password: str

    def gateway_settings(self) -> dict[str, Any]:
        """The ``GatewaySettings`` that point the gateway's registry adapter at it."""
        return {
            "registry_url": self.url,
            "registry_institution": self.institution,
            "registry_user_id": self.user_id,
            "registry_password": self.password,
        }


REGISTRY_TEST_QUOTA = 1_000_000
"""The simulator's own quota for the test account: tests exercise the gateway's, lower."""


@pytest.fixture(scope="session")
def registry_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistrySimulator]:
    """The civil registry simulator as a process of its own, spoken to over HTTP as the
    gateway speaks to Dukcapil."""
    simulator = RegistrySimulator(
        url="",
        institution=REGISTRY_INSTITUTION,
        user_id="kota-live-test",
        password=uuid.uuid4().hex,
    )
    account = {
        "password": simulator.password,
        "institution": simulator.institution,
        "ips": ["127.0.0.1"],
        "daily_quota": REGISTRY_TEST_QUOTA,
    }
    running = start_service(
        REGSIM,
        port=free_port(),
        env={"REGSIM_ACCOUNTS": json.dumps({simulator.user_id: account})},
        log_dir=tmp_path_factory.mktemp("regsim-logs"),
    )
    try:
        wait_until_ready(running, timeout=60)
        yield dataclasses.replace(simulator, url=running.url)
    finally:
        stop_service(running)


@dataclass(frozen=True)
class NotificationSimulator:
    """The SMS and WhatsApp provider simulator a test run started, with the credentials it
    checks and signs with. Its receipts go nowhere until a test points them at a receiver
    (`point_receipts`), and each test starts from a reset simulator."""

    url: str
    sms_api_key: str
    sms_webhook_secret: str
    whatsapp_access_token: str
    whatsapp_webhook_secret: str
    whatsapp_phone_number_id: str
    whatsapp_business_account_id: str

    @property
    def sms_messages_url(self) -> str:
        """Where an SMS is sent (``POST``, ``Authorization: Bearer <sms_api_key>``)."""
        return f"{self.url}/sms/v1/messages"

    def whatsapp_messages_url(self, version: str = "v23.0") -> str:
        """Where a WhatsApp template message is sent, as to Meta's Cloud API."""
        return f"{self.url}/whatsapp/{version}/{self.whatsapp_phone_number_id}/messages"

    async def point_receipts(
        self, *, sms_url: str | None = None, whatsapp_url: str | None = None
    ) -> None:
        """Send each provider's receipts to these URLs from now on."""
        urls = {"sms_url": sms_url, "whatsapp_url": whatsapp_url}
        await self._call("PUT", "/control/receipts", json=urls)

    async def control_number(self, number: str, **controls: Any) -> None:
        """How ``number`` fares from the next send (``fate``, ``receipt_delay_seconds``,
        ``withhold_receipts``, ``times``: docs/notifysim.md)."""
        await self._call("PUT", f"/control/numbers/{number}", json=controls)

    async def set_availability(self, **channels: str) -> None:
        """``sms="down"``, ``whatsapp="up"``…"""
        await self._call("PUT", "/control/availability", json=channels)

    async def messages(self, **filters: str | int) -> list[dict[str, Any]]:
        """What it sent, newest first (filters: ``to``, ``channel``, ``reference``, ``limit``)."""
        sent: list[dict[str, Any]] = (await self._call("GET", "/messages", params=filters)).json()
        return sent

    async def reset(self) -> None:
        await self._call("POST", "/control/reset")

    async def _call(self, method: str, path: str, **options: Any) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.url, timeout=10) as client:
            answer = await client.request(method, path, **options)
        answer.raise_for_status()
        return answer


def _webhook_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


@pytest.fixture(scope="session")
def notification_simulator_process(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[NotificationSimulator]:
    """The SMS and WhatsApp provider simulator as a process of its own, started once per
    test run, retrying receipts quickly; tests take `notification_simulator` instead."""
    simulator = NotificationSimulator(
        url="",
        sms_api_key=secrets.token_urlsafe(18),
        sms_webhook_secret=_webhook_secret(),
        whatsapp_access_token=secrets.token_urlsafe(18),
        whatsapp_webhook_secret=_webhook_secret(),
        whatsapp_phone_number_id="109876543210001",
        whatsapp_business_account_id="109876543210000",
    )
    unset = "http://127.0.0.1:9/receipts-not-pointed"  # the discard port: nothing listens
    env = {
        "NOTIFYSIM_SMS_API_KEY": simulator.sms_api_key,
        "NOTIFYSIM_SMS_WEBHOOK_SECRET": simulator.sms_webhook_secret,
        "NOTIFYSIM_SMS_RECEIPT_URL": unset,
        "NOTIFYSIM_WHATSAPP_ACCESS_TOKEN": simulator.whatsapp_access_token,
        "NOTIFYSIM_WHATSAPP_WEBHOOK_SECRET": simulator.whatsapp_webhook_secret,
        "NOTIFYSIM_WHATSAPP_RECEIPT_URL": unset,
        "NOTIFYSIM_WHATSAPP_PHONE_NUMBER_ID": simulator.whatsapp_phone_number_id,
        "NOTIFYSIM_WHATSAPP_BUSINESS_ACCOUNT_ID": simulator.whatsapp_business_account_id,
        "NOTIFYSIM_RETRY_INITIAL_SECONDS": "0.05",
        "NOTIFYSIM_RETRY_MAX_SECONDS": "1",
    }
    running = start_service(
        NOTIFYSIM,
        port=free_port(),
        env=env,
        log_dir=tmp_path_factory.mktemp("notifysim-logs"),
    )
    try:
        wait_until_ready(running, timeout=60)
        yield dataclasses.replace(simulator, url=running.url)
    finally:
        stop_service(running)


@pytest.fixture
async def notification_simulator(
    notification_simulator_process: NotificationSimulator,
) -> NotificationSimulator:
    """The running SMS and WhatsApp provider simulator, reset for this test."""
    await notification_simulator_process.reset()
    return notification_simulator_process
