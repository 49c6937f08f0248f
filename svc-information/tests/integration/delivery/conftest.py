"""Delivery on everything real: PostgreSQL and Kafka, the gateway's identity serving its
contact API over HTTP (with the civil registry simulator behind it), the provider simulator
as a process of its own (reset for each test), and the information service over HTTP, so
the simulator's signed receipts reach it as they would in production. The service's clock
is the tests'."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from delivery_post import ADMIN, PRIVATE_TOPIC, Post
from fastapi import FastAPI

from information.config import InformationSettings
from information.main import create_app
from kota_dev.pytest_plugin import (
    AuthHeaders,
    Infrastructure,
    NotificationSimulator,
    RegistrySimulator,
    migrated_database,
)
from kota_gateway.config import GatewaySettings
from kota_gateway.identity.settings import BootstrapClient
from kota_gateway.main import create_app as create_gateway
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.servers import serve_app

INFORMATION_CLIENT = BootstrapClient(
    client_id="information",
    agency="Dinas Komunikasi dan Informatika",
    secret="information-delivery-tests-secret-0123456789",
    scopes=["identity:contacts:read"],
)


@pytest.fixture(scope="session")
async def gateway(
    infrastructure: Infrastructure,
    service_env: dict[str, Any],
    registry_simulator: RegistrySimulator,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway over HTTP: identity with the information service's client in its
    settings, as a deployment gives it."""
    settings = GatewaySettings(
        **{
            **service_env,
            **registry_simulator.gateway_settings(),
            "database_url": await migrated_database(
                infrastructure, "kota_gateway:migrations", "delivery_gateway"
            ),
            "signing_key_dir": tmp_path_factory.mktemp("delivery-keys"),
            "upstreams": {},
            "rate_limits_enabled": False,
            "first_admin_username": ADMIN[0],
            "first_admin_password": ADMIN[1],
            "bootstrap_clients": [INFORMATION_CLIENT],
        }
    )
    async with (
        serve_app(create_gateway(settings)) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as client,
    ):
        yield client


@pytest.fixture(scope="session")
def delivery_clock() -> MovableClock:
    return MovableClock()


def delivery_settings(
    database_url: str,
    service_env: dict[str, Any],
    *,
    gateway_url: str,
    simulator: NotificationSimulator,
    **overrides: Any,
) -> InformationSettings:
    values: dict[str, Any] = {
        **service_env,
        "database_url": database_url,
        "watched_topics": [PRIVATE_TOPIC],
        "gateway_url": gateway_url,
        "contacts_client_id": INFORMATION_CLIENT.client_id,
        "contacts_client_secret": INFORMATION_CLIENT.secret,
        "whatsapp_api_url": simulator.url + "/whatsapp",
        "whatsapp_phone_number_id": simulator.whatsapp_phone_number_id,
        "whatsapp_access_token": simulator.whatsapp_access_token,
        "whatsapp_receipt_secrets": [simulator.whatsapp_webhook_secret],
        "sms_gateway_url": simulator.url,
        "sms_gateway_api_key": simulator.sms_api_key,
        "sms_receipt_secrets": [simulator.sms_webhook_secret],
        "number_hash_key": uuid.uuid4().hex,
        "send_retry_first_seconds": 0.2,
        "send_retry_max_seconds": 1.0,
        "dispatch_poll_seconds": 0.1,
        "dispatch_lease_seconds": 5,
        "whatsapp_sends_per_second": 200,
        "sms_sends_per_second": 200,
        **overrides,
    }
    return InformationSettings(**values)


@pytest.fixture(scope="session")
async def information_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "information:migrations", "delivery")


@pytest.fixture(scope="session")
def information_app(
    information_database: str,
    service_env: dict[str, Any],
    gateway: httpx.AsyncClient,
    notification_simulator_process: NotificationSimulator,
    delivery_clock: MovableClock,
) -> FastAPI:
    settings = delivery_settings(
        information_database,
        service_env,
        gateway_url=str(gateway.base_url),
        simulator=notification_simulator_process,
    )
    return create_app(settings, clock=delivery_clock)


@pytest.fixture(scope="session")
async def information(information_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The information service over HTTP (the simulator's receipts are pointed at it)."""
    async with (
        serve_app(information_app) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as client,
    ):
        yield client


@pytest.fixture
async def post(
    gateway: httpx.AsyncClient,
    registry_simulator: RegistrySimulator,
    information: httpx.AsyncClient,
    information_app: FastAPI,
    notification_simulator: NotificationSimulator,
    delivery_clock: MovableClock,
    auth_headers: AuthHeaders,
    infrastructure: Infrastructure,
) -> AsyncIterator[Post]:
    delivery_clock.fixed = None
    post = Post(
        gateway=gateway,
        registry_url=registry_simulator.url,
        information=information,
        app=information_app,
        simulator=notification_simulator,
        clock=delivery_clock,
        auth_headers=auth_headers,
        kafka_bootstrap_servers=infrastructure.kafka_bootstrap_servers,
    )
    for channel in ("sms", "whatsapp"):
        await post.point_receipts(channel)
    yield post
    delivery_clock.fixed = None
