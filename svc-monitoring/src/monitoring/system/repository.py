"""Queries on what the probes saw and on the system alert ledger (the only module here with
SQL for them)."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, RowMapping, Table, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.system.models import consumer_lag, dead_letter_topics, service_status, system_alerts


async def _locked(session: AsyncSession, table: Table, key: Column[Any], value: str) -> Any:
    """The row at ``value``, locked until the transaction ends; None if there is none."""
    return (
        (await session.execute(select(table).where(key == value).with_for_update()))
        .mappings()
        .one_or_none()
    )


async def _put(session: AsyncSession, table: Table, key: str, value: str, **values: Any) -> None:
    statement = insert(table).values({key: value, **values})
    await session.execute(statement.on_conflict_do_update(index_elements=[key], set_=values))


async def service(session: AsyncSession, name: str) -> RowMapping | None:
    result: RowMapping | None = await _locked(
        session, service_status, service_status.c.service, name
    )
    return result


async def put_service(session: AsyncSession, name: str, **values: Any) -> None:
    await _put(session, service_status, "service", name, **values)


async def consumer_group(session: AsyncSession, group: str) -> RowMapping | None:
    result: RowMapping | None = await _locked(
        session, consumer_lag, consumer_lag.c.consumer_group, group
    )
    return result


async def put_consumer_group(session: AsyncSession, group: str, **values: Any) -> None:
    await _put(session, consumer_lag, "consumer_group", group, **values)


async def dead_letter_topic(session: AsyncSession, topic: str) -> RowMapping | None:
    result: RowMapping | None = await _locked(
        session, dead_letter_topics, dead_letter_topics.c.topic, topic
    )
    return result


async def put_dead_letter_topic(session: AsyncSession, topic: str, **values: Any) -> None:
    await _put(session, dead_letter_topics, "topic", topic, **values)


async def everything_seen(
    session: AsyncSession,
) -> tuple[Sequence[RowMapping], Sequence[RowMapping], Sequence[RowMapping]]:
    """Every service, consumer group and dead-letter topic, in name order."""

    async def rows(table: Table, order: Column[Any]) -> Sequence[RowMapping]:
        return (await session.execute(select(table).order_by(order))).mappings().all()

    return (
        await rows(service_status, service_status.c.service),
        await rows(consumer_lag, consumer_lag.c.consumer_group),
        await rows(dead_letter_topics, dead_letter_topics.c.topic),
    )


async def record_alert(session: AsyncSession, **alert: Any) -> bool:
    """Put a system alert in the ledger, once: False if its id (its cause) is there."""
    inserted = await session.scalar(
        insert(system_alerts)
        .values(**alert)
        .on_conflict_do_nothing()
        .returning(system_alerts.c.event_id)
    )
    return inserted is not None


async def newest_alerts(
    session: AsyncSession, *, limit: int, after: tuple[datetime, uuid.UUID] | None
) -> Sequence[RowMapping]:
    query = select(system_alerts)
    if after is not None:
        query = query.where(
            tuple_(system_alerts.c.detected_at, system_alerts.c.event_id) < tuple_(*after)
        )
    query = query.order_by(system_alerts.c.detected_at.desc(), system_alerts.c.event_id.desc())
    return (await session.execute(query.limit(limit))).mappings().all()
