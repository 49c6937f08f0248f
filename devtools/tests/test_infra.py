"""Local infrastructure, for real: a throwaway PostgreSQL cluster and a KRaft Kafka broker."""

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from kota_dev.kafka import start_broker, stop_broker, stop_broker_at
from kota_dev.postgres import (
    PostgresCluster,
    drop_database,
    ensure_database,
    start_cluster,
    stop_cluster,
)

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
