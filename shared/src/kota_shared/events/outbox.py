"""Transactional outbox: events saved with the state change, published by a relay.

A handler calls `Outbox.add` inside its transaction; nothing touches Kafka there. The
`OutboxRelay` task publishes committed rows in order, marks them published, and is woken
the moment a transaction that added events commits (polling only as a safety net).
"""

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from sqlalchemy import delete, event, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from tenacity import RetryCallState, retry_if_exception

from kota_shared import tracing
from kota_shared.backoff import Backoff
from kota_shared.events.envelope import EventData, build_message
from kota_shared.events.kafka_security import UNAUTHENTICATED, KafkaSecurity
from kota_shared.events.metrics import EVENTS_PUBLISHED, OUTBOX_BACKLOG, OUTBOX_RELAY_UP
from kota_shared.events.tables import EventTables
from kota_shared.outages import describe, is_transient

_log = logging.getLogger(__name__)
_PENDING = "kota.outbox.pending"
_WAKE = "kota.outbox.wake"
FIRST_BACKOFF_SECONDS = 0.1


class Outbox:
    """Writes events into the caller's transaction."""

    def __init__(self, *, tables: EventTables, source: str) -> None:
        self._table = tables.outbox
        self._source = source

    async def add(
        self,
        session: AsyncSession,
        data: EventData,
        *,
        subject: str,
        event_id: uuid.UUID | None = None,
    ) -> str:
        """Stage ``data`` for publication when (and only if) the transaction commits.

        ``event_id`` names an event whose identity is its cause (an alert), so raising it
        again is the same event, which consumers' inboxes apply once; by default, a new id.
        """
        message = build_message(
            data,
            source=self._source,
            subject=subject,
            trace_headers=tracing.inject_headers(),
            event_id=event_id,
        )
        await session.execute(
            insert(self._table).values(
                event_id=message.event_id,
                topic=message.topic,
                key=message.key,
                event_type=data.event_type,
                value=message.value,
                headers=message.headers,
            )
        )
        session.info[_PENDING] = True
        return str(message.event_id)


def _after_commit(session: Session) -> None:
    if session.info.pop(_PENDING, False):
        wake: Callable[[], None] | None = session.info.get(_WAKE)
        if wake is not None:
            wake()


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_soft_rollback", lambda session, _tx: _after_rollback(session))


class OutboxRelay:
    """Publishes outbox rows to Kafka in commit order, at least once, surviving outages.

    One relay per database publishes at a time (a transaction-scoped advisory lock), which is
    what keeps events of one aggregate in order when a service runs several replicas.
    ``security`` is the service's principal, the only one the broker lets write its topic.
    """

    def __init__(
        self,
        *,
        tables: EventTables,
        sessionmaker: async_sessionmaker[AsyncSession],
        bootstrap_servers: str,
        security: KafkaSecurity = UNAUTHENTICATED,
        poll_seconds: float = 1.0,
        batch_size: int = 500,
        max_backoff_seconds: float = 5.0,
        retention: timedelta = timedelta(days=7),
        purge_every_seconds: float = 3600,
    ) -> None:
        self._table = tables.outbox
        self._sessionmaker = sessionmaker
        self._bootstrap_servers = bootstrap_servers
        self._security = security
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._backoff = Backoff(
            first_seconds=FIRST_BACKOFF_SECONDS, max_seconds=max_backoff_seconds
        )
        self._retention = retention
        self._purge_every = purge_every_seconds
        self._next_purge = time.monotonic()
        self._wakeup = asyncio.Event()
        self._producer: Any = None
        self.healthy = False
        sessionmaker.kw.setdefault("info", {})[_WAKE] = self.wake

    def _set_healthy(self, healthy: bool) -> None:
        self.healthy = healthy
        OUTBOX_RELAY_UP.set(1 if healthy else 0)

    def wake(self) -> None:
        self._wakeup.set()

    async def run(self) -> None:
        """Publish until cancelled (run it under a `Supervisor`), waiting out any outage.

        Kafka or PostgreSQL being away is waited out here, with back-off; anything else is a
        fault and is raised, so the supervisor logs it and starts the relay again.
        """
        try:
            while True:
                await self._publish_pending()
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancel()
                # that lands in the tick a commit wakes the relay, and the caller would then
                # wait forever.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._poll_seconds):
                        await self._wakeup.wait()
        finally:
            self._set_healthy(False)
            await self._close_producer()

    async def _publish_pending(self) -> None:
        """Publish every waiting row, waiting out an outage with back-off (reset each time the
        relay catches up, as every call starts a new retry)."""
        async for attempt in self._backoff.retrying(
            retry=retry_if_exception(is_transient),
            before_sleep=self._waiting_out,
            reraise=True,
        ):
            with attempt:
                # Cleared before publishing, not after: a commit landing while a batch is in
                # flight sets it again, and is published at once instead of at the next poll.
                self._wakeup.clear()
                while await self.publish_batch():
                    pass
                self._set_healthy(True)
                if time.monotonic() >= self._next_purge:
                    await self.purge_published()
                    self._next_purge = time.monotonic() + self._purge_every

    async def _waiting_out(self, state: RetryCallState) -> None:
        """Before each pause of an outage: unhealthy, logged, and a fresh producer after it."""
        self._set_healthy(False)
        error = state.outcome.exception() if state.outcome else None
        _log.warning(
            "outbox relay cannot publish, retrying in %.1fs: %s",
            state.upcoming_sleep,
            describe(error) if error else "",
        )
        await self._close_producer()

    async def _producer_started(self) -> Any:
        if self._producer is None:
            producer = AIOKafkaProducer(
                bootstrap_servers=self._bootstrap_servers,
                enable_idempotence=True,  # implies acks=all; no duplicates from producer retries
                linger_ms=2,
                request_timeout_ms=10_000,
                **self._security.client_options(),
            )
            try:
                await producer.start()
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _close_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            # Bounded by request_timeout_ms even with Kafka away; never abandon it half-closed.
            try:
                await producer.stop()
            except (KafkaError, OSError) as exc:
                _log.debug("producer stop failed: %s", exc)

    async def measure_backlog(self) -> int:
        """Count the rows waiting to be published, for ``kota_outbox_backlog``: growing while
        Kafka is away or the relay is stuck, which monitoring reports per service."""
        async with self._sessionmaker() as session:
            backlog = await session.scalar(
                select(func.count())
                .select_from(self._table)
                .where(self._table.c.published_at.is_(None))
            )
        OUTBOX_BACKLOG.set(backlog or 0)
        return int(backlog or 0)

    async def purge_published(self) -> int:
        """Delete rows published longer ago than the retention (kept that long for audits)."""
        async with self._sessionmaker() as session, session.begin():
            result = await session.execute(
                delete(self._table).where(self._table.c.published_at < func.now() - self._retention)
            )
        return int(getattr(result, "rowcount", 0) or 0)

    async def publish_batch(self) -> bool:
        """Publish the oldest unpublished rows; True when a full batch suggests more waits."""
        producer = await self._producer_started()
        async with self._sessionmaker() as session, session.begin():
            locked = await session.scalar(
                select(func.pg_try_advisory_xact_lock(text("hashtext('kota.outbox.relay')")))
            )
            if not locked:
                return False
            rows = (
                await session.execute(
                    select(
                        self._table.c.seq,
                        self._table.c.topic,
                        self._table.c.key,
                        self._table.c.value,
                        self._table.c.headers,
                    )
                    .where(self._table.c.published_at.is_(None))
                    .order_by(self._table.c.seq)
                    .limit(self._batch_size)
                )
            ).all()
            if not rows:
                return False
            deliveries = [
                await producer.send(
                    row.topic,
                    value=row.value,
                    key=row.key.encode(),
                    headers=[(k, v.encode()) for k, v in row.headers.items()],
                )
                for row in rows
            ]
            results = await asyncio.gather(*deliveries, return_exceptions=True)
            # Mark only the unbroken prefix of successes; the rest is retried in order.
            published = []
            failure: BaseException | None = None
            for row, result in zip(rows, results, strict=True):
                if isinstance(result, BaseException):
                    failure = result
                    break
                published.append(row.seq)
                EVENTS_PUBLISHED.labels(row.topic).inc()
            if published:
                await session.execute(
                    update(self._table)
                    .where(self._table.c.seq.in_(published))
                    .values(published_at=func.now())
                )
        if failure is not None:
            raise failure
        return len(rows) == self._batch_size
