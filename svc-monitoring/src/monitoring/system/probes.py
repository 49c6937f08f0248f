"""Looking at the suite from outside: a service's readiness and outbox backlog over HTTP, and
the broker's offsets (consumer groups' lag, dead letters written). Reads only."""

from dataclasses import dataclass

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client.parser import text_string_to_metric_families

from kota_shared.events.consumer import stop_kafka_consumer
from kota_shared.events.kafka_security import KafkaSecurity
from kota_shared.outages import describe

PROBE_TIMEOUT_SECONDS = 2.0
DEAD_LETTER_SUFFIX = ".dlq"
_BACKLOG = "kota_outbox_backlog"


@dataclass(frozen=True)
class Readiness:
    ready: bool
    detail: str | None


async def readiness(http: httpx.AsyncClient, base_url: str) -> Readiness:
    """``GET /readyz``: ready on 200; otherwise what it said, or why it could not answer."""
    try:
        response = await http.get(f"{base_url}/readyz", timeout=PROBE_TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        return Readiness(ready=False, detail=describe(exc))
    if response.status_code == httpx.codes.OK:
        return Readiness(ready=True, detail=None)
    return Readiness(ready=False, detail=f"HTTP {response.status_code}: {response.text[:300]}")


async def outbox_backlog(http: httpx.AsyncClient, metrics_url: str) -> int | None:
    """The service's ``kota_outbox_backlog`` gauge, or None if it cannot be read."""
    try:
        response = await http.get(metrics_url, timeout=PROBE_TIMEOUT_SECONDS)
        response.raise_for_status()
    except httpx.HTTPError:
        return None
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == _BACKLOG:
                return int(sample.value)
    return None


@dataclass(frozen=True)
class BrokerView:
    lag_by_group: dict[str, int]
    """Records on the topics each group reads, not yet committed by it."""
    dead_letters: dict[str, int]
    """Records written so far to each dead-letter topic."""


class BrokerProbe:
    """Reads every consumer group's lag and every dead-letter topic's size, from offsets
    alone, with clients kept open between rounds (and opened afresh after a failure)."""

    def __init__(self, bootstrap_servers: str, security: KafkaSecurity) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._options = security.client_options()
        self._admin: AIOKafkaAdminClient | None = None
        self._reader: AIOKafkaConsumer | None = None

    async def view(self) -> BrokerView:
        try:
            admin, reader = await self._clients()
            return await _view(admin, reader)
        except BaseException:
            await self.close()
            raise

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None or self._reader is None:
            self._admin = AIOKafkaAdminClient(
                bootstrap_servers=self._bootstrap_servers, **self._options
            )
            await self._admin.start()
            self._reader = AIOKafkaConsumer(
                bootstrap_servers=self._bootstrap_servers, **self._options
            )
            await self._reader.start()
        return self._admin, self._reader

    async def close(self) -> None:
        admin, self._admin = self._admin, None
        reader, self._reader = self._reader, None
        try:
            if reader is not None:
                await stop_kafka_consumer(reader)
        finally:
            if admin is not None:
                await admin.close()


async def _view(admin: AIOKafkaAdminClient, reader: AIOKafkaConsumer) -> BrokerView:
    groups = [group for group, _protocol in await admin.list_consumer_groups()]
    committed = {group: await admin.list_consumer_group_offsets(group) for group in groups}
    # The admin client asks the broker for every topic each time (a consumer's metadata
    # knows only the topics it has been asked about).
    dead_letter_partitions = [
        TopicPartition(topic["topic"], partition["partition"])
        for topic in await admin.describe_topics()
        if topic["topic"].endswith(DEAD_LETTER_SUFFIX)
        for partition in topic["partitions"]
    ]
    read = {tp for offsets in committed.values() for tp in offsets}
    ends: dict[TopicPartition, int] = await reader.end_offsets([*read, *dead_letter_partitions])
    lag = {
        group: sum(max(ends.get(tp, 0) - max(meta.offset, 0), 0) for tp, meta in offsets.items())
        for group, offsets in committed.items()
        if offsets
    }
    dead: dict[str, int] = {}
    for tp in dead_letter_partitions:
        dead[tp.topic] = dead.get(tp.topic, 0) + ends.get(tp, 0)
    return BrokerView(lag_by_group=lag, dead_letters=dead)
