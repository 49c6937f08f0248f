"""A service connects to Kafka with the credentials in its settings, from every client it makes.

The suite's broker authenticates everyone (SASL/SCRAM) on the listener services use; the test
harness's listener is the only one that asks nothing. A service built with `create_service_app`
is ready only when the broker accepts its principal, and its relay publishes as that principal.
"""

import uuid
from typing import Any, ClassVar

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict
from sqlalchemy.ext.asyncio import create_async_engine

from kota_dev.faults.parcels import TABLES, ParcelScanned, metadata
from kota_dev.kafka_access import ADMIN
from kota_dev.pytest_plugin import Infrastructure, create_database, running_app
from kota_shared.app import ServiceDefinition, create_service_app
from kota_shared.db import create_sessionmaker
from kota_shared.events.kafka_security import KafkaSecurity
from kota_shared.events.outbox import Outbox
from kota_shared.settings import ServiceSettings
from kota_shared.testing.kafka import read_records
from kota_shared.testing.waiting import eventually


class ParcelSettings(ServiceSettings):
    service_name: str = "parcels"


class PrivateParcelScanned(ParcelScanned):
    """On a topic of this module's own, which no other test reads."""

    topic: ClassVar[str] = f"test.parcels.sasl.{uuid.uuid4().hex[:8]}"


def test_settings_give_every_client_the_services_principal() -> None:
    settings = ParcelSettings(
        kafka_security_protocol="SASL_PLAINTEXT",
        kafka_username="permits",
        kafka_password="s3cret",  # type: ignore[arg-type]
    )

    assert settings.kafka_security == KafkaSecurity.scram("permits", "s3cret")
    assert settings.kafka_security.client_options() == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "permits",
        "sasl_plain_password": "s3cret",
    }
    assert "s3cret" not in repr(settings.kafka_security)


def test_settings_read_the_credentials_from_the_services_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class PermitsLike(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix="PERMITSLIKE_")
        service_name: str = "permitslike"

    monkeypatch.setenv("PERMITSLIKE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("PERMITSLIKE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")
    monkeypatch.setenv("PERMITSLIKE_KAFKA_USERNAME", "permits")
    monkeypatch.setenv("PERMITSLIKE_KAFKA_PASSWORD", "from-env")

    security = PermitsLike().kafka_security

    assert (security.protocol, security.mechanism) == ("SASL_PLAINTEXT", "SCRAM-SHA-256")
    assert (security.username, security.password) == ("permits", "from-env")


def test_sasl_without_credentials_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="KAFKA_USERNAME and KAFKA_PASSWORD"):
        ParcelSettings(kafka_security_protocol="SASL_PLAINTEXT", kafka_username="permits")


def test_by_default_no_credentials_are_sent() -> None:
    assert ParcelSettings().kafka_security.client_options() == {"security_protocol": "PLAINTEXT"}


async def _parcels_database(infrastructure: Infrastructure) -> str:
    url = await create_database(infrastructure, "parcels_sasl")
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    await engine.dispose()
    return url


def _parcels_app(database_url: str, service_env: dict[str, Any], **kafka: Any) -> Any:
    return create_service_app(
        ServiceDefinition(
            settings=ParcelSettings(database_url=database_url, **{**service_env, **kafka}),
            title="parcels",
            description="A miniature service",
            migrations="unused:migrations",  # migrate_on_start is off in tests
            routers=[],
            event_tables=TABLES,
        )
    )


async def test_a_service_is_ready_and_publishes_as_its_principal(
    infrastructure: Infrastructure, service_env: dict[str, Any]
) -> None:
    # The tooling's principal: the parcels' topic belongs to no declared service.
    principal = infrastructure.kafka_principals.settings(ADMIN)
    url = await _parcels_database(infrastructure)
    app = _parcels_app(url, service_env, **principal)
    async with running_app(app) as client:
        readyz = await eventually(
            lambda: client.get("/readyz"),
            until=lambda response: response.status_code == 200,
            what="the service to be ready",
        )
        parcel = uuid.uuid4().hex
        engine = create_async_engine(url)
        try:
            async with create_sessionmaker(engine)() as session, session.begin():
                await Outbox(tables=TABLES, source="/kota-live/parcels").add(
                    session, PrivateParcelScanned(parcel=parcel, step=1), subject=parcel
                )
        finally:
            await engine.dispose()
        records = await read_records(
            infrastructure.kafka_bootstrap_servers,
            PrivateParcelScanned.topic,
            until=lambda records: len(records) == 1,
        )

    assert readyz.json()["checks"]["kafka"]["status"] == "ready"
    assert records[0].key == parcel.encode()


async def test_a_service_whose_credentials_the_broker_refuses_is_not_ready(
    infrastructure: Infrastructure, service_env: dict[str, Any]
) -> None:
    principal = {**infrastructure.kafka_principals.settings(ADMIN), "kafka_password": "wrong"}
    app = _parcels_app(await _parcels_database(infrastructure), service_env, **principal)

    async with running_app(app) as client:
        readyz = await client.get("/readyz")

    assert readyz.status_code == 503
    assert readyz.json()["checks"]["kafka"]["status"] == "unavailable"
    assert readyz.json()["checks"]["database"]["status"] == "ready"
