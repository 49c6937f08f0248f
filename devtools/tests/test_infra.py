"""Local infrastructure, for real: a throwaway PostgreSQL cluster and a KRaft Kafka broker,
open (a test's own) or secured (what `kota up` and the test suite run)."""

import asyncio
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, TopicAuthorizationFailedError

from kota_dev.kafka import credentials_at, launch_broker, start_broker, stop_broker, stop_broker_at
from kota_dev.postgres import (
    PostgresCluster,
    drop_database,
    ensure_database,
    start_cluster,
    stop_cluster,
)
from kota_shared.events.kafka_security import UNAUTHENTICATED, KafkaSecurity

# Shared with the test plugin and `kota up`, so the broker's jars are downloaded only once.
KAFKA_CACHE = Path(
    os.environ.get("KOTA_CACHE_DIR", Path(__file__).resolve().parents[2] / ".kota" / "cache")
)
TOPIC = "infra.smoke"


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[PostgresCluster]:
    cluster = start_cluster(tmp_path / "postgres")
    yield cluster
    stop_cluster(cluster)


async def test_a_service_role_reaches_its_own_database(cluster: PostgresCluster) -> None:
    password = "s3cret:@/'"  # characters that need quoting in SQL and in URLs
    url = await asyncio.to_thread(
        ensure_database, cluster, name="permits", owner="permits_svc", password=password
    )
    again = await asyncio.to_thread(
        ensure_database, cluster, name="permits", owner="permits_svc", password=password
    )

    assert url == again == cluster.url(database="permits", user="permits_svc", password=password)
    dsn = cluster.url(
        database="permits", user="permits_svc", password=password, driver="postgresql"
    )
    connection = await asyncpg.connect(dsn)
    try:
        row = await connection.fetchrow(
            "SELECT 1 AS one, current_user AS role, pg_get_userbyid(datdba) AS owner"
            " FROM pg_database WHERE datname = current_database()"
        )
    finally:
        await connection.close()
    assert row is not None
    assert dict(row) == {"one": 1, "role": "permits_svc", "owner": "permits_svc"}

    await asyncio.to_thread(drop_database, cluster, name="permits")
    await asyncio.to_thread(drop_database, cluster, name="permits")
    with pytest.raises(asyncpg.InvalidCatalogNameError):
        await asyncpg.connect(dsn)


def test_a_cluster_restarts_on_its_port_and_start_is_idempotent(
    cluster: PostgresCluster,
) -> None:
    assert start_cluster(cluster.data_dir) == cluster

    stop_cluster(cluster)
    stop_cluster(cluster)

    assert start_cluster(cluster.data_dir) == cluster


async def test_a_broker_keeps_messages_across_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "kafka"
    broker = await asyncio.to_thread(start_broker, data_dir, cache_dir=KAFKA_CACHE)
    try:
        admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
        await admin.start()
        try:
            await admin.create_topics([NewTopic(TOPIC, num_partitions=3, replication_factor=1)])
        finally:
            await admin.close()
        producer = AIOKafkaProducer(
            bootstrap_servers=broker.bootstrap_servers, enable_idempotence=True
        )
        await producer.start()
        try:
            await producer.send_and_wait(TOPIC, b"permit approved", key=b"P-1")
        finally:
            await producer.stop()
        assert await _consume_one(broker.bootstrap_servers, group="first") == b"permit approved"
    finally:
        await asyncio.to_thread(stop_broker, broker)

    restarted = await asyncio.to_thread(start_broker, data_dir, cache_dir=KAFKA_CACHE)
    assert restarted.process is not None
    try:
        assert restarted.port == broker.port
        again = await asyncio.to_thread(start_broker, data_dir, cache_dir=KAFKA_CACHE)
        assert (again.port, again.process) == (broker.port, None)
        assert await _consume_one(broker.bootstrap_servers, group="second") == b"permit approved"
    finally:
        # As another process (a `kota` command) would: from the pid file, not the handle.
        await asyncio.to_thread(stop_broker_at, data_dir)
        restarted.process.wait(timeout=5)  # reap it: stop_broker_at does not own the handle


async def _consume_one(bootstrap_servers: str, *, group: str) -> bytes | None:
    consumer = AIOKafkaConsumer(
        TOPIC,
        bootstrap_servers=bootstrap_servers,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        message = await asyncio.wait_for(consumer.getone(), timeout=30)
        await consumer.commit()
    finally:
        await consumer.stop()
    return message.value


async def _writes(bootstrap_servers: str, security: KafkaSecurity, topic: str) -> bool:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, **security.client_options())
    try:
        await producer.start()
        await producer.send_and_wait(topic, b"probe", key=b"probe")
        return True
    except (KafkaConnectionError, TopicAuthorizationFailedError):
        return False
    finally:
        await producer.stop()


async def test_a_secured_broker_keeps_its_principals_and_learns_new_ones(tmp_path: Path) -> None:
    data_dir = tmp_path / "kafka"
    broker = await asyncio.to_thread(
        start_broker, data_dir, cache_dir=KAFKA_CACHE, secured=True, harness=True
    )
    try:
        assert stat.S_IMODE((data_dir / "credentials.json").stat().st_mode) == 0o600
        assert stat.S_IMODE((data_dir / "server.properties").stat().st_mode) == 0o600
        assert credentials_at(data_dir) == broker.credentials
        assert await _writes(broker.bootstrap_servers, broker.security("health"), "health.events")
        assert not await _writes(broker.bootstrap_servers, UNAUTHENTICATED, "health.events")
        # The harness listener asks nothing and refuses nothing: the tests' way in alone.
        assert await _writes(broker.harness_bootstrap_servers, UNAUTHENTICATED, "health.events")
    finally:
        await asyncio.to_thread(stop_broker, broker)

    # As if health had been declared after the storage was formatted.
    passwords = json.loads((data_dir / "credentials.json").read_text())
    del passwords["health"]
    (data_dir / "credentials.json").write_text(json.dumps(passwords))
    registered = json.loads((data_dir / "scram-registered.json").read_text())
    (data_dir / "scram-registered.json").write_text(
        json.dumps(sorted(set(registered) - {"health"}))
    )

    restarted = await asyncio.to_thread(
        start_broker, data_dir, cache_dir=KAFKA_CACHE, secured=True, harness=True
    )
    try:
        assert restarted.port == broker.port
        assert restarted.harness_port == broker.harness_port
        assert restarted.credentials is not None
        assert broker.credentials is not None
        assert restarted.credentials["permits"] == broker.credentials["permits"]
        assert restarted.credentials["health"] != broker.credentials["health"]
        assert await _writes(
            restarted.bootstrap_servers, restarted.security("health"), "health.events"
        )
        assert await _writes(
            restarted.bootstrap_servers, restarted.security("permits"), "permits.events"
        )
    finally:
        await asyncio.to_thread(stop_broker, restarted)


def test_storage_formatted_open_is_not_started_secured(tmp_path: Path) -> None:
    data_dir = tmp_path / "kafka"
    stop_broker(start_broker(data_dir, cache_dir=KAFKA_CACHE))

    with pytest.raises(RuntimeError, match="formatted without authentication"):
        launch_broker(data_dir, cache_dir=KAFKA_CACHE, secured=True)
