"""Queries on the alerts raised (the only module here with SQL for them): which are due,
the ledger that keeps each to once per cause, and the newest first, as officials read them."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, exists, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from monitoring.alerts.models import alerts
from monitoring.permits.models import permit_cases

_CROSSED = {"at_risk": permit_cases.c.at_risk_at, "breached": permit_cases.c.due_at}
"""The instant each kind of alert becomes due."""


async def due(
    session: AsyncSession, *, kind: str, now: datetime, limit: int
) -> Sequence[RowMapping]:
    """Open applications past the instant of ``kind`` with no such alert for their stage yet;
    locked, skipping those another replica's sweep holds."""
    cases = permit_cases.c
    already = exists().where(
        alerts.c.kind == kind,
        alerts.c.application_id == cases.application_id,
        alerts.c.stage == cases.stage,
        alerts.c.started_at == cases.stage_started_at,
    )
    result = await session.execute(
        select(permit_cases)
        .where(cases.stage.is_not(None), _CROSSED[kind] <= now, ~already)
        .order_by(_CROSSED[kind])
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return result.mappings().all()


async def record(session: AsyncSession, **alert: Any) -> bool:
    """Put an alert in the ledger, once: False if its cause (or its id) is there already."""
    inserted = await session.scalar(
        insert(alerts).values(**alert).on_conflict_do_nothing().returning(alerts.c.event_id)
    )
    return inserted is not None


async def newest(
    session: AsyncSession,
    *,
    limit: int,
    kind: str | None = None,
    permit_type: str | None = None,
    kecamatan: str | None = None,
    after: tuple[datetime, uuid.UUID] | None = None,
) -> Sequence[RowMapping]:
    """Up to ``limit`` alerts, newest first (``detected_at``, then id), narrowed by what is
    given; ``after`` is the last one of the page before, so the next page starts behind it."""
    query: Any = select(alerts)
    if kind is not None:
        query = query.where(alerts.c.kind == kind)
    if permit_type is not None:
        query = query.where(alerts.c.permit_type == permit_type)
    if kecamatan is not None:
        query = query.where(alerts.c.kecamatan_code == kecamatan)
    if after is not None:
        query = query.where(tuple_(alerts.c.detected_at, alerts.c.event_id) < tuple_(*after))
    query = query.order_by(alerts.c.detected_at.desc(), alerts.c.event_id.desc()).limit(limit)
    return (await session.execute(query)).mappings().all()
