"""Idempotent Kafka consumer: effect + inbox row in one transaction, then the offset.

Redelivery (a crash before the offset commit, a rebalance, two instances) finds the inbox
row and changes nothing. A message that keeps failing goes to the consumer's dead-letter
topic with its error and origin, and the partition moves on.
"""

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError
from aiokafka.structs import OffsetAndMetadata, TopicPartition
from opentelemetry.trace import SpanKind
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tenacity import RetryCallState, retry_if_exception, stop_after_attempt

from kota_shared import tracing
from kota_shared.backoff import Backoff
from kota_shared.events.envelope import EventData, MalformedEvent, ReceivedEvent, parse_message
from kota_shared.events.kafka_security import UNAUTHENTICATED, KafkaSecurity
from kota_shared.events.metrics import CONSUMER_PAUSES, EVENTS_CONSUMED
from kota_shared.events.published_schemas import PublishedSchemas
from kota_shared.events.tables import EventTables
from kota_shared.events.topics import ensure_topics
from kota_shared.outages import Transience, describe, is_transient, transience

_log = logging.getLogger(__name__)

ContextT = TypeVar("ContextT")
EventT = TypeVar("EventT", bound=EventData)

Fallback = Callable[[ContextT, ReceivedEvent[EventData | None]], Awaitable[None]]
"""Receives every event without a subscription (its ``data`` is None without a model)."""


_Handler = Callable[[ContextT, Any], Awaitable[None]]
_Pending = tuple[Any, ReceivedEvent[Any], _Handler[ContextT]]
"""A record, its event and the handler it goes to."""


@dataclass(frozen=True)
class Subscription(Generic[ContextT]):
    """One event model and the handler that applies it; made by `on`, which checks that the
    handler takes that model."""

    event: type[EventData]
    handler: _Handler[ContextT]


def on(
    event: type[EventT], handler: Callable[[ContextT, ReceivedEvent[EventT]], Awaitable[None]]
) -> Subscription[ContextT]:
    """Subscribe ``handler`` to ``event``: it runs inside the consumer's transaction, given
    the transaction's context and the event typed as its model; raising rolls it back for a
    retry."""
    return Subscription(event=event, handler=handler)


OUTAGE_PAUSE_SECONDS = 1.0
CONTENTION_PAUSE_SECONDS = 0.1
CONNECT_FIRST_DELAY_SECONDS = 0.5
CONNECT_MAX_DELAY_SECONDS = 5.0
DEAD_LETTER_MAX_VALUE_BYTES = 512 * 1024
DEAD_LETTER_MAX_HEADER_BYTES = 64 * 1024


async def stop_kafka_consumer(consumer: Any) -> None:
    """``AIOKafkaConsumer.stop()``, finished even when aiokafka trips over itself.

    A fetch in its retry back-off makes ``stop()`` raise a stray ``CancelledError`` before it
    closes its connections (aio-libs/aiokafka#974); close them, unless we are the ones being
    cancelled.
    """
    try:
        await consumer.stop()
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise
        await consumer._client.close()


def _parse(record: Any, schemas: PublishedSchemas | None) -> ReceivedEvent[Any]:
    return parse_message(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value,
        headers={k: v.decode(errors="replace") for k, v in (record.headers or ())},
        schemas=schemas,
    )


def _within_dead_letter_limits(record: Any) -> tuple[bytes | None, list[tuple[str, bytes]]]:
    """The record's value and headers, cut down so the dead letter fits in a Kafka message.

    A record already close to the broker's size limit would not fit with the dead-letter
    headers added, and an unsendable dead letter would hold the partition forever.
    """
    value: bytes | None = record.value
    headers: list[tuple[str, bytes]] = list(record.headers or ())
    if sum(len(k) + len(v) for k, v in headers) > DEAD_LETTER_MAX_HEADER_BYTES:
        headers = [("dlq.headers_dropped", str(len(headers)).encode())]
    if value is not None and len(value) > DEAD_LETTER_MAX_VALUE_BYTES:
        headers.append(("dlq.value_truncated_from", str(len(value)).encode()))
        value = value[:DEAD_LETTER_MAX_VALUE_BYTES]
    return value, headers


def dead_letter_topic(consumer_name: str) -> str:
    return f"{consumer_name}.dlq"


class _RevokeListener(ConsumerRebalanceListener):  # type: ignore[misc]
    """Lets the batch in hand finish (and commit its offsets) before partitions move."""

    def __init__(self, lock: asyncio.Lock) -> None:
        self._lock = lock

    async def on_partitions_revoked(self, revoked: Any) -> None:
        async with self._lock:
            pass

    async def on_partitions_assigned(self, assigned: Any) -> None:
        return None


class EventConsumer(Generic[ContextT]):
    """One consumer group reading some topics and dispatching by event type.

    ``context`` makes what handlers receive from the transaction's session (a service's
    `kota_shared.transaction.Transaction`). ``subscriptions`` name a handler per event model;
    ``fallback`` (optional) receives every other type, e.g. monitoring's counters. Types with
    neither are acknowledged and skipped.
    ``schemas`` (the published catalogue) lets a consumer check the data of types it has no
    model for: one with a fallback should pass it, so it acts only on what it can check.
    ``security`` is the service's principal: on a broker with ACLs, ``name`` must start with
    the service's name and a dot (``permits.payment-outcomes``), the consumer groups and the
    dead-letter topics (``<name>.dlq``) that principal may use.

    `run` is the whole life of the consumer; start it under a `Supervisor`. With
    ``until_caught_up``, `run` returns once the group has applied everything its topics held
    when it connected: a replay that rebuilds read models from the beginning of the log.
    """

    def __init__(
        self,
        *,
        name: str,
        topics: list[str],
        bootstrap_servers: str,
        sessionmaker: async_sessionmaker[AsyncSession],
        tables: EventTables,
        context: Callable[[AsyncSession], ContextT],
        security: KafkaSecurity = UNAUTHENTICATED,
        subscriptions: Sequence[Subscription[ContextT]] = (),
        fallback: Fallback[ContextT] | None = None,
        schemas: PublishedSchemas | None = None,
        max_attempts: int = 5,
        retry_backoff_seconds: float = 0.2,
        after_apply: Callable[[ReceivedEvent[Any]], None] | None = None,
        until_caught_up: bool = False,
    ) -> None:
        self.name = name
        self._topics = topics
        self._bootstrap_servers = bootstrap_servers
        self._security = security
        self._sessionmaker = sessionmaker
        # Built once: each batch runs it with its events as parameters (an executemany),
        # where a statement built per batch spent more CPU on SQLAlchemy than on PostgreSQL.
        self._record_arrival = (
            insert(tables.inbox).on_conflict_do_nothing().returning(tables.inbox.c.event_id)
        )
        self._context = context
        self._handlers: dict[str, _Handler[ContextT]] = {
            s.event.event_type: s.handler for s in subscriptions
        }
        if len(self._handlers) != len(subscriptions):
            raise ValueError(f"consumer {name}: an event type is subscribed to twice")
        self._fallback = fallback
        self._schemas = schemas
        self._max_attempts = max_attempts
        # Bounded by max_attempts, so uncapped: 0.2, 0.4, 0.8, 1.6 s at most by default.
        self._retry_backoff = Backoff(first_seconds=retry_backoff_seconds)
        self._connect_backoff = Backoff(
            first_seconds=CONNECT_FIRST_DELAY_SECONDS, max_seconds=CONNECT_MAX_DELAY_SECONDS
        )
        # A test seam: runs after the effect is committed and before the offset is.
        self._after_apply = after_apply
        self._until_caught_up = until_caught_up
        self._lock = asyncio.Lock()
        self._consumer: Any = None
        self._dlq_producer: Any = None
        self.applied = 0
        self.duplicates = 0
        self.dead_lettered = 0

    async def run(self) -> None:
        """Connect (waiting for Kafka), consume until cancelled, and always disconnect."""
        try:
            await self._connect_when_kafka_is_up()
            await self._consume()
        finally:
            await self._close_clients()

    async def _connect_when_kafka_is_up(self) -> None:
        """Connect, waiting out an outage for as long as it lasts; any other error raises."""
        async for attempt in self._connect_backoff.retrying(
            retry=retry_if_exception(is_transient),
            before_sleep=self._log_connect_retry,
            reraise=True,
        ):
            with attempt:
                await self._connect()

    def _log_connect_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        _log.warning(
            "consumer %s cannot connect yet, retrying in %.1fs: %s",
            self.name,
            state.upcoming_sleep,
            describe(error) if error else "",
        )

    async def _connect(self) -> None:
        try:
            await ensure_topics(
                self._bootstrap_servers,
                [*self._topics, dead_letter_topic(self.name)],
                security=self._security,
            )
            self._consumer = AIOKafkaConsumer(
                bootstrap_servers=self._bootstrap_servers,
                group_id=self.name,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                isolation_level="read_committed",
                **self._security.client_options(),
            )
            self._consumer.subscribe(self._topics, listener=_RevokeListener(self._lock))
            await self._consumer.start()
            self._dlq_producer = AIOKafkaProducer(
                bootstrap_servers=self._bootstrap_servers,
                enable_idempotence=True,
                **self._security.client_options(),
            )
            await self._dlq_producer.start()
        except BaseException:
            await self._close_clients()
            raise

    async def _close_clients(self) -> None:
        """Close both clients, the producer even if closing the consumer fails."""
        consumer, self._consumer = self._consumer, None
        producer, self._dlq_producer = self._dlq_producer, None
        try:
            if consumer is not None:
                await stop_kafka_consumer(consumer)
        finally:
            if producer is not None:
                await producer.stop()

    @property
    def assigned_partitions(self) -> set[tuple[str, int]]:
        if self._consumer is None:
            return set()
        return {(tp.topic, tp.partition) for tp in self._consumer.assignment()}

    async def _consume(self) -> None:
        ends = await self._end_offsets() if self._until_caught_up else None
        while True:
            batch: dict[Any, list[Any]] = {}
            try:
                batch = await self._consumer.getmany(timeout_ms=500, max_records=500)
                if batch:
                    async with self._lock:
                        await self._process_batch(batch)
                if ends is not None and await self._reached(ends):
                    return
            except Exception as exc:
                kind = transience(exc)
                if kind is None:
                    raise
                await self._wait_out(exc, kind, batch)

    async def _end_offsets(self) -> dict[TopicPartition, int]:
        """Where each partition of the topics ends now: what a replay must get through."""
        await self._consumer.topics()  # fetches the metadata partitions_for_topic reads
        partitions = [
            TopicPartition(topic, partition)
            for topic in self._topics
            for partition in self._consumer.partitions_for_topic(topic) or ()
        ]
        ends: dict[TopicPartition, int] = await self._consumer.end_offsets(partitions)
        return {tp: end for tp, end in ends.items() if end > 0}

    async def _reached(self, ends: dict[TopicPartition, int]) -> bool:
        """Whether this consumer has applied every partition up to ``ends``: asked between
        batches, when every record fetched so far (all before the position) is applied."""
        assignment = self._consumer.assignment()
        if not all(tp in assignment for tp in ends):
            return False
        for tp, end in ends.items():
            if await self._consumer.position(tp) < end:
                return False
        return True

    async def _wait_out(
        self, exc: BaseException, kind: Transience, batch: dict[Any, list[Any]]
    ) -> None:
        """Pause, then read the failed batch again: nothing in it was committed, so nothing
        in it is lost, and the inbox absorbs whatever of it was already applied."""
        CONSUMER_PAUSES.labels(self.name, kind.value).inc()
        _log.warning("consumer %s paused by %s: %s", self.name, kind.value, describe(exc))
        await asyncio.sleep(
            OUTAGE_PAUSE_SECONDS if kind is Transience.OUTAGE else CONTENTION_PAUSE_SECONDS
        )
        assignment = self._consumer.assignment()
        for partition, records in batch.items():
            if partition in assignment:
                # A local seek, no broker call: it works while Kafka is away too.
                self._consumer.seek(partition, records[0].offset)

    async def _process_batch(self, batch: dict[Any, list[Any]]) -> None:
        offsets: dict[Any, OffsetAndMetadata] = {}
        assignment = self._consumer.assignment()
        for partition, records in batch.items():
            if partition not in assignment:
                continue  # revoked while we fetched: the new owner will read these
            await self._process_partition(records)
            offsets[partition] = OffsetAndMetadata(records[-1].offset + 1, "")
        if not offsets:
            return
        try:
            await self._consumer.commit(offsets)
        except CommitFailedError as exc:
            # The group moved on; the new owner re-reads and the inbox absorbs the repeat.
            _log.info("consumer %s offset commit lost to a rebalance: %s", self.name, exc)

    async def _process_partition(self, records: list[Any]) -> None:
        """Apply one partition's records in one transaction; one by one if that fails.

        One transaction per batch instead of per event is what lets a consumer keep up
        with a busy topic; the one-by-one fallback keeps retries and dead-lettering exact.
        """
        pending: list[_Pending[ContextT]] = []
        for record in records:
            try:
                received = _parse(record, self._schemas)
            except MalformedEvent as exc:
                await self._dead_letter(record, exc)
                continue
            handler = self._handlers.get(received.type, self._fallback)
            if handler is not None:
                pending.append((record, received, handler))
        if not pending:
            return
        try:
            await self._apply_together(pending)
        except Exception as exc:
            if is_transient(exc):
                raise
            _log.info("consumer %s: batch failed (%s), applying one by one", self.name, exc)
            for record, received, handler in pending:
                await self._apply_with_retries(record, received, handler)
            return
        if self._after_apply is not None:
            for _record, received, _handler in pending:
                self._after_apply(received)

    async def _apply_together(self, pending: list[_Pending[ContextT]]) -> None:
        applied = duplicates = 0
        async with self._sessionmaker() as session, session.begin():
            context = self._context(session)
            first_time = set(
                await session.scalars(
                    self._record_arrival,
                    [
                        {"consumer": self.name, "event_id": e.id, "event_type": e.type}
                        for _record, e, _handler in pending
                    ],
                )
            )
            for _record, received, handler in pending:
                if received.id not in first_time:
                    duplicates += 1
                    continue
                first_time.discard(received.id)  # a second copy in this batch is a duplicate
                with tracing.span_from_headers(
                    f"consume {received.type}", received.headers, SpanKind.CONSUMER
                ):
                    await handler(context, received)
                applied += 1
        self._count(applied=applied, duplicates=duplicates)

    async def _apply_with_retries(
        self, record: Any, received: ReceivedEvent[Any], handler: _Handler[ContextT]
    ) -> None:
        """Apply one event, retrying a failing handler; dead-letter it when it keeps failing.

        An outage is not the handler's fault: it is raised at once, to be waited out by
        `_wait_out` with the record read again, and never counts towards dead-lettering.
        """

        def log_retry(state: RetryCallState) -> None:
            _log.warning(
                "consumer %s failed on %s (attempt %d), retrying in %.2fs: %s",
                self.name,
                received.id,
                state.attempt_number,
                state.upcoming_sleep,
                state.outcome.exception() if state.outcome else None,
            )

        try:
            async for attempt in self._retry_backoff.retrying(
                stop=stop_after_attempt(self._max_attempts),
                retry=retry_if_exception(lambda exc: not is_transient(exc)),
                before_sleep=log_retry,
                reraise=True,
            ):
                with attempt:
                    await self._apply(received, handler)
        except Exception as exc:
            if is_transient(exc):
                raise
            await self._dead_letter(record, exc)
            return
        if self._after_apply is not None:
            self._after_apply(received)

    async def _apply(self, received: ReceivedEvent[Any], handler: _Handler[ContextT]) -> None:
        async with self._sessionmaker() as session, session.begin():
            first_time = await session.scalar(
                self._record_arrival,
                {"consumer": self.name, "event_id": received.id, "event_type": received.type},
            )
            if first_time is not None:
                with tracing.span_from_headers(
                    f"consume {received.type}", received.headers, SpanKind.CONSUMER
                ):
                    await handler(self._context(session), received)
        self._count(applied=int(first_time is not None), duplicates=int(first_time is None))

    def _count(self, *, applied: int, duplicates: int) -> None:
        self.applied += applied
        self.duplicates += duplicates
        EVENTS_CONSUMED.labels(self.name, "applied").inc(applied)
        EVENTS_CONSUMED.labels(self.name, "duplicate").inc(duplicates)

    async def _dead_letter(self, record: Any, error: BaseException) -> None:
        value, headers = _within_dead_letter_limits(record)
        headers += [
            ("dlq.origin.topic", record.topic.encode()),
            ("dlq.origin.partition", str(record.partition).encode()),
            ("dlq.origin.offset", str(record.offset).encode()),
            ("dlq.consumer", self.name.encode()),
            ("dlq.error.type", type(error).__name__.encode()),
            ("dlq.error.message", str(error)[:2000].encode()),
            ("dlq.error.trace", "".join(traceback.format_exception(error))[-4000:].encode()),
            ("dlq.failed_at", datetime.now(UTC).isoformat().encode()),
        ]
        # A Kafka error here is an outage like any other: the record is read again later.
        await self._dlq_producer.send_and_wait(
            dead_letter_topic(self.name), value=value, key=record.key, headers=headers
        )
        self.dead_lettered += 1
        EVENTS_CONSUMED.labels(self.name, "dead_lettered").inc()
        _log.error(
            "consumer %s dead-lettered %s[%d]@%d: %s",
            self.name,
            record.topic,
            record.partition,
            record.offset,
            error,
        )
