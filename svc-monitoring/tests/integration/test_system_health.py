"""The suite's own health: a service's readiness and outbox backlog over real HTTP, consumer
groups' lag and dead letters from the real broker; each alert once per cause."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import OffsetAndMetadata
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from prometheus_client.parser import text_string_to_metric_families

from kota_contracts.monitoring import TOPIC, DeadLetterWritten, ServiceNotReady
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, running_app
from kota_shared.events.topics import ensure_topics
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.kafka import read_events
from kota_shared.testing.servers import serve_app
from kota_shared.testing.waiting import eventually
from monitoring.config import MonitoringSettings
from monitoring.main import create_app

PROBE_SECONDS = 0.2


@dataclass
class FakeService:
    """A service as monitoring sees one: `/readyz` and `/metrics`, switched by the test."""

    ready: bool = True
    backlog: int = 7

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/readyz")
        async def readyz() -> PlainTextResponse:
            if self.ready:
                return PlainTextResponse("ready")
            return PlainTextResponse("database: connection refused", status_code=503)

        @app.get("/metrics")
        async def metrics() -> PlainTextResponse:
            return PlainTextResponse(
                f"# TYPE kota_outbox_backlog gauge\nkota_outbox_backlog {self.backlog}\n"
            )

        return app


@dataclass
class Watched:
    name: str
    service: FakeService
    client: httpx.AsyncClient
    viewer: dict[str, str]

    async def health(self) -> dict[str, Any]:
        response = await self.client.get("/v1/monitoring/system", headers=self.viewer)
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    async def alerts(self, subject: str) -> list[dict[str, Any]]:
        response = await self.client.get(
            "/v1/monitoring/system/alerts", params={"limit": 100}, headers=self.viewer
        )
        assert response.status_code == 200, response.text
        return [a for a in response.json() if a["subject"] == subject]

    async def probes_ran(self, times: int = 2) -> None:
        """Wait until ``times`` more probes have looked at the service."""
        seen: set[str] = set()

        async def checked() -> set[str]:
            services = (await self.health())["services"]
            seen.update(s["checked_at"] for s in services if s["service"] == self.name)
            return seen

        await eventually(checked, until=lambda s: len(s) > times, what="more probe rounds")


@pytest.fixture
async def watched(
    monitoring_settings: MonitoringSettings,
    monitoring_clock: MovableClock,
    auth_headers: AuthHeaders,
) -> AsyncIterator[Watched]:
    name = f"svc-{uuid.uuid4().hex[:6]}"
    service = FakeService()
    async with serve_app(service.app()) as url:
        settings = monitoring_settings.model_copy(
            update={
                "readiness_urls": {name: url},
                "metrics_urls": {name: f"{url}/metrics"},
                "system_probe_seconds": PROBE_SECONDS,
                "not_ready_alert_seconds": 0.5,
                "consumer_lag_threshold": 3,
            }
        )
        app: FastAPI = create_app(settings, clock=monitoring_clock)
        async with running_app(app) as client:
            viewer = auth_headers("operator-1", roles=["city_admin"])
            yield Watched(name=name, service=service, client=client, viewer=viewer)


async def test_a_ready_service_and_its_backlog_are_shown_and_scraped(watched: Watched) -> None:
    await watched.probes_ran(1)

    (status,) = [s for s in (await watched.health())["services"] if s["service"] == watched.name]
    assert (status["ready"], status["outbox_backlog"], status["detail"]) == (True, 7, None)
    families = text_string_to_metric_families((await watched.client.get("/metrics")).text)
    samples = {(s.name, s.labels.get("service")): s.value for f in families for s in f.samples}
    assert samples[("kota_monitoring_service_ready", watched.name)] == 1
    assert samples[("kota_monitoring_outbox_backlog", watched.name)] == 7
    assert await watched.alerts(watched.name) == []


async def test_a_service_not_ready_for_too_long_is_alerted_once(
    watched: Watched, infrastructure: Infrastructure
) -> None:
    await watched.probes_ran(1)
    watched.service.ready = False

    (alert,) = await eventually(
        lambda: watched.alerts(watched.name),
        until=lambda found: len(found) >= 1,
        what="the not-ready alert",
    )
    await watched.probes_ran(3)

    assert alert["kind"] == "service_not_ready"
    assert "database: connection refused" in alert["detail"]
    assert len(await watched.alerts(watched.name)) == 1
    (event,) = await read_events(
        infrastructure.kafka_bootstrap_servers,
        TOPIC,
        key=watched.name,
        until_types=[ServiceNotReady.event_type],
    )
    assert event["id"] == alert["event_id"]
    status = [s for s in (await watched.health())["services"] if s["service"] == watched.name]
    assert status[0]["ready"] is False


async def test_a_lagging_consumer_group_is_alerted_once_per_episode(
    watched: Watched, infrastructure: Infrastructure
) -> None:
    servers = infrastructure.kafka_bootstrap_servers
    topic, group = f"lag-{uuid.uuid4().hex[:6]}", f"laggard-{uuid.uuid4().hex[:6]}"
    await ensure_topics(servers, [topic], partitions=1)
    producer = AIOKafkaProducer(bootstrap_servers=servers)
    await producer.start()
    try:
        for n in range(5):
            await producer.send_and_wait(topic, value=f"{n}".encode())
    finally:
        await producer.stop()
    # A group that read nothing of the five: it commits offset 0.
    consumer = AIOKafkaConsumer(bootstrap_servers=servers, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        partition = TopicPartition(topic, 0)
        consumer.assign([partition])
        await consumer.commit({partition: OffsetAndMetadata(0, "")})
    finally:
        await consumer.stop()

    (alert,) = await eventually(
        lambda: watched.alerts(group), until=lambda found: len(found) >= 1, what="the lag alert"
    )
    await watched.probes_ran(3)

    assert (alert["kind"], alert["detail"]) == ("consumer_lagging", "5 behind (threshold 3)")
    assert len(await watched.alerts(group)) == 1
    (lag,) = [
        g for g in (await watched.health())["consumer_groups"] if g["consumer_group"] == group
    ]
    assert lag["lag"] == 5
    assert lag["lagging_since"] is not None


async def test_each_new_dead_letter_is_alerted_once(
    watched: Watched, infrastructure: Infrastructure
) -> None:
    servers = infrastructure.kafka_bootstrap_servers
    topic = f"someone-{uuid.uuid4().hex[:6]}.dlq"
    await ensure_topics(servers, [topic], partitions=1)
    producer = AIOKafkaProducer(bootstrap_servers=servers)
    await producer.start()
    try:
        for value in (b"first", b"second"):
            await producer.send_and_wait(topic, value=value)
        first = await eventually(
            lambda: watched.alerts(topic), until=lambda found: len(found) >= 1, what="an alert"
        )
        await producer.send_and_wait(topic, value=b"third")
        found = await eventually(
            lambda: watched.alerts(topic), until=lambda found: len(found) >= 2, what="another"
        )
    finally:
        await producer.stop()
    await watched.probes_ran(3)

    assert [a["detail"] for a in first] == ["2 new, 2 in all"]
    assert [a["detail"] for a in found] == ["1 new, 3 in all", "2 new, 2 in all"]
    assert len(await watched.alerts(topic)) == 2
    events = await read_events(
        servers, TOPIC, key=topic, until_types=[DeadLetterWritten.event_type]
    )
    assert sorted(e.data["written"] for e in events) == [2, 3]
