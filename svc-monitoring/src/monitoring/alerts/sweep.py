"""Raises the deadline alerts that are due: each stage of each open application once at 80 %
of its time, once past its deadline, by the app's clock."""

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_contracts.monitoring import DeadlineAtRisk, DeadlineBreached
from monitoring.alerts import repository
from monitoring.alerts.causes import KINDS, alert_id
from monitoring.transaction import MonitoringTransaction

BATCH = 200


async def raise_due_alerts(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    context: Callable[[AsyncSession], MonitoringTransaction],
) -> int:
    """Raise every alert now due, one transaction per batch; returns how many were raised."""
    raised = 0
    for kind in KINDS:
        while True:
            async with sessionmaker() as session, session.begin():
                batch = await _raise_batch(context(session), kind)
            raised += batch
            if batch < BATCH:
                break
    return raised


async def _raise_batch(tx: MonitoringTransaction, kind: str) -> int:
    rows = await repository.due(tx.session, kind=kind, now=tx.now, limit=BATCH)
    for case in rows:
        await _raise(tx, kind, case, detected_at=tx.now)
    return len(rows)


async def _raise(
    tx: MonitoringTransaction, kind: str, case: RowMapping, *, detected_at: datetime
) -> None:
    event_id = alert_id(
        kind,
        application_id=case["application_id"],
        stage=case["stage"],
        started_at=case["stage_started_at"],
    )
    alert = KINDS[kind](
        application_id=case["application_id"],
        permit_type=case["permit_type"],
        kecamatan_code=case["kecamatan_code"] or None,
        stage=case["stage"],
        started_at=case["stage_started_at"],
        due_at=case["due_at"],
        detected_at=detected_at,
    )
    if await record(tx, event_id=event_id, kind=kind, alert=alert):
        await tx.outbox.add(
            tx.session, alert, subject=str(case["application_id"]), event_id=event_id
        )


async def record(
    tx: MonitoringTransaction,
    *,
    event_id: uuid.UUID,
    kind: str,
    alert: DeadlineAtRisk | DeadlineBreached,
) -> bool:
    """Put an alert in the ledger, once: False if its cause is there already."""
    return await repository.record(
        tx.session,
        event_id=event_id,
        kind=kind,
        application_id=alert.application_id,
        permit_type=alert.permit_type,
        kecamatan_code=alert.kecamatan_code or "",
        stage=alert.stage,
        started_at=alert.started_at,
        due_at=alert.due_at,
        detected_at=alert.detected_at,
    )
