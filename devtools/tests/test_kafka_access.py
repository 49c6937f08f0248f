"""Events are trusted only from their owner: the suite's broker authenticates every client and
lets a service write only its own topic and read only what it consumes (ACLs derived from the
service registry). Checked on a real secured broker of this module's own, since writing to the
services' topics on the session broker would feed the other tests' consumers."""

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    TopicAuthorizationFailedError,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from kota_contracts.services import EVERY_SERVICE, ServiceDeclaration, declared
from kota_dev import kafka_access
from kota_dev.faults.parcels import TABLES, metadata, record_scan, scans_of
from kota_dev.kafka import KafkaBroker, start_broker, stop_broker
from kota_dev.kafka_access import ADMIN, Grant, Operation, Pattern, Resource
from kota_dev.pytest_plugin import Infrastructure, create_database, kafka_cache_dir
from kota_shared.db import create_sessionmaker
from kota_shared.events.consumer import EventConsumer, on
from kota_shared.events.envelope import EventData
from kota_shared.events.kafka_security import KafkaSecurity
from kota_shared.events.outbox import Outbox, OutboxRelay
from kota_shared.events.topics import ensure_topics
from kota_shared.kafka_probe import KafkaProbe
from kota_shared.supervision import Supervisor
from kota_shared.testing.waiting import eventually

PUBLISHERS = [service for service in EVERY_SERVICE if service.publishes]
PUBLISHED = [service.publishes for service in PUBLISHERS if service.publishes]


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaBroker]:
    broker = start_broker(
        tmp_path_factory.mktemp("secured") / "kafka",
        cache_dir=kafka_cache_dir(),
        quick_start=True,
        secured=True,
    )
    yield broker
    stop_broker(broker)


def as_(broker: KafkaBroker, service: str) -> dict[str, Any]:
    return {
        "bootstrap_servers": broker.bootstrap_servers,
        **broker.security(service).client_options(),
    }


async def test_a_client_without_credentials_is_refused(broker: KafkaBroker) -> None:
    stranger = AIOKafkaProducer(bootstrap_servers=broker.bootstrap_servers)
    try:
        with pytest.raises(KafkaConnectionError):
            await stranger.start()
    finally:
        await stranger.stop()


async def test_a_client_with_a_wrong_password_is_refused(broker: KafkaBroker) -> None:
    impostor = AIOKafkaProducer(
        bootstrap_servers=broker.bootstrap_servers,
        **KafkaSecurity.scram("payments", "not-the-password").client_options(),
    )
    try:
        with pytest.raises(KafkaConnectionError):
            await impostor.start()
    finally:
        await impostor.stop()


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
async def test_a_service_writes_its_own_topic_and_no_one_elses(
    broker: KafkaBroker, service: ServiceDeclaration
) -> None:
    producer = AIOKafkaProducer(enable_idempotence=True, **as_(broker, service.name))
    await producer.start()
    written = set()
    try:
        for topic in PUBLISHED:
            try:
                await producer.send_and_wait(topic, b"probe", key=b"probe")
                written.add(topic)
            except TopicAuthorizationFailedError:
                pass
    finally:
        await producer.stop()

    assert written == ({service.publishes} if service.publishes else set())


async def test_another_service_cannot_write_permits_events(broker: KafkaBroker) -> None:
    """The forged payment of the probe, turned around: payments posing as permits' producer."""
    producer = AIOKafkaProducer(enable_idempotence=True, **as_(broker, "payments"))
    await producer.start()
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            await producer.send_and_wait("permits.events", b"forged", key=b"application")
    finally:
        await producer.stop()

    permits = AIOKafkaProducer(enable_idempotence=True, **as_(broker, "permits"))
    await permits.start()
    try:
        written = await permits.send_and_wait("permits.events", b"genuine", key=b"application")
    finally:
        await permits.stop()
    assert written.topic == "permits.events"


@pytest.fixture(scope="module")
async def one_record_on_each_topic(broker: KafkaBroker) -> None:
    """Written by each topic's owner, so a reader either gets it or is refused."""
    for service in PUBLISHERS:
        producer = AIOKafkaProducer(enable_idempotence=True, **as_(broker, service.name))
        await producer.start()
        try:
            await producer.send_and_wait(service.publishes, b"first", key=b"probe", partition=0)
        finally:
            await producer.stop()


async def reads(broker: KafkaBroker, service: str, topic: str) -> bool:
    """Whether ``service``, in a consumer group of its own namespace as its consumers are,
    may read ``topic``: True once it gets the record, False once the broker refuses; never
    decided by a timeout."""
    reader = AIOKafkaConsumer(
        topic,
        group_id=f"{service}.probe-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **as_(broker, service),
    )
    outcome: list[bool] = []

    async def fetch() -> list[bool]:
        try:
            if await reader.getmany(timeout_ms=500):
                outcome.append(True)
        except (TopicAuthorizationFailedError, GroupAuthorizationFailedError):
            outcome.append(False)
        return outcome

    try:
        await reader.start()
        await eventually(fetch, within=60, what=f"{service} to read {topic} or be refused")
    except (TopicAuthorizationFailedError, GroupAuthorizationFailedError):
        outcome.append(False)
    finally:
        await reader.stop()
    return outcome[0]


@pytest.mark.usefixtures("one_record_on_each_topic")
@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
async def test_a_service_reads_exactly_the_topics_it_consumes(
    broker: KafkaBroker, service: ServiceDeclaration
) -> None:
    readable = {topic for topic in PUBLISHED if await reads(broker, service.name, topic)}

    assert readable == set(service.consumes)


async def consume_in_group(broker: KafkaBroker, service: str, *, group: str, topic: str) -> None:
    consumer = AIOKafkaConsumer(
        topic,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **as_(broker, service),
    )
    try:
        await consumer.start()
        await consumer.getmany(timeout_ms=1000)
    finally:
        await consumer.stop()


async def test_a_consumer_group_of_a_service_reads_what_it_consumes(broker: KafkaBroker) -> None:
    await consume_in_group(
        broker, "permits", group="permits.payment-outcomes", topic="payments.events"
    )


async def test_a_consumer_group_cannot_read_a_topic_its_service_does_not_consume(
    broker: KafkaBroker,
) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await consume_in_group(broker, "permits", group="permits.snooping", topic="health.events")


async def test_a_service_cannot_join_another_services_consumer_group(broker: KafkaBroker) -> None:
    # Joining payments' group would take its partitions, and its committed offsets with them.
    with pytest.raises(GroupAuthorizationFailedError):
        await consume_in_group(
            broker, "monitoring", group="payments.permit-fees", topic="permits.events"
        )


async def topics(broker: KafkaBroker) -> set[str]:
    admin = AIOKafkaAdminClient(**as_(broker, ADMIN))
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def test_a_service_creates_its_own_dead_letter_topic_and_no_one_elses(
    broker: KafkaBroker,
) -> None:
    own = f"permits.{uuid.uuid4().hex[:8]}.dlq"
    others = f"payments.{uuid.uuid4().hex[:8]}.dlq"

    await ensure_topics(
        broker.bootstrap_servers, [own, others], security=broker.security("permits")
    )

    existing = await topics(broker)
    assert own in existing
    assert others not in existing


async def test_the_published_topics_exist_before_any_service_starts(broker: KafkaBroker) -> None:
    assert set(PUBLISHED) <= await topics(broker)


async def test_the_brokers_acls_are_the_registrys_and_follow_it(broker: KafkaBroker) -> None:
    admin = broker.security(ADMIN)
    wanted = kafka_access.wanted_acls(kafka_access.grants())
    assert await kafka_access.described_acls(broker.bootstrap_servers, admin) == wanted

    # A consumer later declared, then withdrawn: its ACL goes with it.
    extra = Grant("permits", Resource.TOPIC, "health.events", Pattern.LITERAL, (Operation.READ,))
    await kafka_access.apply(broker.bootstrap_servers, admin, [*kafka_access.grants(), extra])
    assert extra.acls() <= await kafka_access.described_acls(broker.bootstrap_servers, admin)
    await kafka_access.apply(broker.bootstrap_servers, admin, kafka_access.grants())
    assert await kafka_access.described_acls(broker.bootstrap_servers, admin) == wanted


async def test_the_readiness_probe_connects_as_the_service(broker: KafkaBroker) -> None:
    probe = KafkaProbe(broker.bootstrap_servers, security=broker.security("health"))
    try:
        assert await probe.check() == {"brokers": 1}
    finally:
        await probe.close()

    refused = KafkaProbe(
        broker.bootstrap_servers, security=KafkaSecurity.scram("health", "not-the-password")
    )
    try:
        with pytest.raises(KafkaConnectionError):
            await refused.check()
    finally:
        await refused.close()


# --- the event machinery, end to end, each side as its own service ----------------------


class PermitScanned(EventData):
    """A miniature event on permits' topic, which only permits may write."""

    event_type: ClassVar[str] = "test.permit.scanned.v1"
    topic: ClassVar[str] = declared("permits").publishes or ""

    parcel: str
    step: int


@pytest.fixture
async def parcels_db(
    infrastructure: Infrastructure,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    url = await create_database(infrastructure, "parcels")
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


async def test_a_relay_and_a_consumer_deliver_as_their_own_services(
    broker: KafkaBroker, parcels_db: async_sessionmaker[AsyncSession]
) -> None:
    relay = OutboxRelay(
        tables=TABLES,
        sessionmaker=parcels_db,
        bootstrap_servers=broker.bootstrap_servers,
        security=broker.security("permits"),
        poll_seconds=0.5,
    )
    consumer: EventConsumer[AsyncSession] = EventConsumer(
        name=f"payments.test-{uuid.uuid4().hex[:8]}",
        topics=[PermitScanned.topic],
        bootstrap_servers=broker.bootstrap_servers,
        security=broker.security("payments"),
        sessionmaker=parcels_db,
        tables=TABLES,
        context=lambda session: session,
        subscriptions=[on(PermitScanned, record_scan)],
    )
    supervisor = Supervisor()
    supervisor.start("relay", relay.run)
    supervisor.start("consumer", consumer.run)
    parcel = uuid.uuid4().hex
    try:
        async with parcels_db() as session, session.begin():
            await Outbox(tables=TABLES, source="/kota-live/permits").add(
                session, PermitScanned(parcel=parcel, step=1), subject=parcel
            )

        applied = await eventually(
            lambda: scans_of(parcels_db, [parcel]),
            until=lambda rows: len(rows) == 1,
            within=60,
            what="the event published as permits and consumed as payments",
        )
    finally:
        await supervisor.stop()
    assert [row.step for row in applied] == [1]


# --- the derivation itself, no broker ----------------------------------------------------


def _service(name: str, **declared: Any) -> ServiceDeclaration:
    return ServiceDeclaration(
        name=name, port_offset=99, package=name, folder=f"svc-{name}", **declared
    )


def test_a_topic_outside_its_publishers_namespace_is_granted_by_name() -> None:
    gateway = next(g for g in kafka_access.grants() if g.name == "identity.events")

    assert (gateway.service, gateway.pattern) == ("gateway", Pattern.LITERAL)
    assert Operation.WRITE in gateway.operations


def test_a_service_whose_namespace_would_cover_anothers_topic_is_refused() -> None:
    # A service named "identity" would own the prefix "identity.", the gateway's topic.
    services = (_service("gateway", publishes="identity.events"), _service("identity"))

    with pytest.raises(ValueError, match="lies in identity's namespace"):
        kafka_access.grants(services)


def test_a_topic_published_by_two_services_is_refused() -> None:
    services = (
        _service("permits", publishes="permits.events"),
        _service("forger", publishes="permits.events"),
    )

    with pytest.raises(ValueError, match="published by both"):
        kafka_access.grants(services)


def test_a_service_that_consumes_nothing_joins_no_group() -> None:
    health = [g for g in kafka_access.grants() if g.service == "health"]

    assert [(g.resource, g.name, g.pattern) for g in health] == [
        (Resource.TOPIC, "health.", Pattern.PREFIXED)
    ]
