"""Every few seconds: probe the suite, keep what was seen, raise what deserves an alert,
and set the gauges operators scrape from monitoring's ``/metrics``."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import httpx
from prometheus_client import Gauge
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_contracts.monitoring import ConsumerLagging, DeadLetterWritten, ServiceNotReady
from monitoring.config import MonitoringSettings
from monitoring.system import probes, repository
from monitoring.system.ledger import raise_once
from monitoring.transaction import MonitoringTransaction

SERVICE_READY = Gauge(
    "kota_monitoring_service_ready", "1 if the service answered /readyz with 200", ["service"]
)
OUTBOX_BACKLOG = Gauge(
    "kota_monitoring_outbox_backlog", "Outbox rows the service has not published", ["service"]
)
CONSUMER_LAG = Gauge(
    "kota_monitoring_consumer_lag", "Records not yet committed by the group", ["consumer_group"]
)
DEAD_LETTERS = Gauge("kota_monitoring_dead_letters", "Dead letters written so far", ["topic"])


@dataclass(frozen=True)
class Watch:
    """What one round of probing needs."""

    sessionmaker: async_sessionmaker[AsyncSession]
    context: Callable[[AsyncSession], MonitoringTransaction]
    http: httpx.AsyncClient
    broker: probes.BrokerProbe
    settings: MonitoringSettings


async def watch_the_suite(watch: Watch) -> None:
    settings = watch.settings
    names = list(settings.readiness_urls)
    seen = await asyncio.gather(
        *(probes.readiness(watch.http, settings.readiness_urls[name]) for name in names)
    )
    backlogs = dict(
        zip(
            settings.metrics_urls,
            await asyncio.gather(
                *(probes.outbox_backlog(watch.http, url) for url in settings.metrics_urls.values())
            ),
            strict=True,
        )
    )
    broker = await watch.broker.view()
    async with watch.sessionmaker() as session, session.begin():
        tx = watch.context(session)
        for name, readiness in zip(names, seen, strict=True):
            await _service(tx, settings, name, readiness, backlogs.get(name))
        for group, lag in sorted(broker.lag_by_group.items()):
            await _consumer(tx, settings, group, lag)
        for topic, written in sorted(broker.dead_letters.items()):
            await _dead_letters(tx, topic, written)
    for name, readiness in zip(names, seen, strict=True):
        SERVICE_READY.labels(name).set(int(readiness.ready))
    for name, backlog in backlogs.items():
        if backlog is not None:
            OUTBOX_BACKLOG.labels(name).set(backlog)
    for group, lag in broker.lag_by_group.items():
        CONSUMER_LAG.labels(group).set(lag)
    for topic, written in broker.dead_letters.items():
        DEAD_LETTERS.labels(topic).set(written)


async def _service(
    tx: MonitoringTransaction,
    settings: MonitoringSettings,
    name: str,
    readiness: probes.Readiness,
    backlog: int | None,
) -> None:
    row = await repository.service(tx.session, name)
    since = tx.now if row is None or row["ready"] != readiness.ready else row["since"]
    await repository.put_service(
        tx.session,
        name,
        ready=readiness.ready,
        since=since,
        checked_at=tx.now,
        detail=readiness.detail,
        outbox_backlog=backlog,
    )
    if not readiness.ready and tx.now - since >= timedelta(
        seconds=settings.not_ready_alert_seconds
    ):
        await raise_once(
            tx,
            ServiceNotReady(
                service=name, not_ready_since=since, detail=readiness.detail, detected_at=tx.now
            ),
        )


async def _consumer(
    tx: MonitoringTransaction, settings: MonitoringSettings, group: str, lag: int
) -> None:
    row = await repository.consumer_group(tx.session, group)
    since = None
    if lag > settings.consumer_lag_threshold:
        since = row["lagging_since"] if row and row["lagging_since"] else tx.now
    await repository.put_consumer_group(
        tx.session, group, lag=lag, lagging_since=since, checked_at=tx.now
    )
    if since is not None:
        await raise_once(
            tx,
            ConsumerLagging(
                consumer_group=group,
                lag=lag,
                threshold=settings.consumer_lag_threshold,
                lagging_since=since,
                detected_at=tx.now,
            ),
        )


async def _dead_letters(tx: MonitoringTransaction, topic: str, written: int) -> None:
    row = await repository.dead_letter_topic(tx.session, topic)
    alerted = row["alerted_at_written"] if row else 0
    await repository.put_dead_letter_topic(
        tx.session,
        topic,
        written=written,
        alerted_at_written=max(written, alerted),
        checked_at=tx.now,
    )
    if written > alerted:
        await raise_once(
            tx,
            DeadLetterWritten(
                dead_letter_topic=topic, written=written, new=written - alerted, detected_at=tx.now
            ),
        )
