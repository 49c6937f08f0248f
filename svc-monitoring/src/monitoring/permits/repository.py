"""Queries on the permits read model (the only module here with SQL for it).

Every read groups daily rows (or the open applications, for the backlog), so its cost grows
with the period and the number of types and districts, never with the number of events.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, Table, case, func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from monitoring.filters import month_of
from monitoring.permits.grouping import PermitFilters, PermitGrouping
from monitoring.permits.models import permit_cases, permit_daily, permit_stage_daily

VOLUMES = (
    "received",
    "resubmitted",
    "decided",
    "approved",
    "deemed_approved",
    "rejected",
    "revisions_requested",
    "issued",
    "cancelled",
    "expired",
)


async def case_for_update(
    session: AsyncSession, application_id: uuid.UUID
) -> dict[str, Any] | None:
    """The application's row, locked until the transaction ends; None if it has none yet."""
    row = (
        (
            await session.execute(
                select(permit_cases)
                .where(permit_cases.c.application_id == application_id)
                .with_for_update()
            )
        )
        .mappings()
        .one_or_none()
    )
    return dict(row) if row is not None else None


async def save_case(
    session: AsyncSession, application_id: uuid.UUID, values: dict[str, Any]
) -> None:
    statement = insert(permit_cases).values(application_id=application_id, **values)
    await session.execute(
        statement.on_conflict_do_update(index_elements=["application_id"], set_=values)
    )


def _group_key(table: Table, grouping: PermitGrouping) -> ColumnElement[Any]:
    match grouping:
        case PermitGrouping.PERMIT_TYPE:
            return table.c.permit_type
        case PermitGrouping.KECAMATAN:
            return table.c.kecamatan_code
        case PermitGrouping.DAY:
            return table.c.day
        case PermitGrouping.MONTH:
            return month_of(table.c.day)


def _where(table: Table, filters: PermitFilters) -> list[ColumnElement[bool]]:
    conditions = [filters.period.covers(table.c.day)]
    if filters.permit_type is not None:
        conditions.append(table.c.permit_type == filters.permit_type)
    if filters.kecamatan is not None:
        conditions.append(table.c.kecamatan_code == filters.kecamatan)
    return conditions


async def volumes(
    session: AsyncSession, filters: PermitFilters, grouping: PermitGrouping
) -> Sequence[RowMapping]:
    """Per group (``key``): each of `VOLUMES` summed, and fees ``paid`` with their ``wait``."""
    key = _group_key(permit_daily, grouping).label("key")
    result = await session.execute(
        select(
            key,
            *(func.sum(permit_daily.c[name]).label(name) for name in VOLUMES),
            func.sum(permit_daily.c.paid).label("paid"),
            func.sum(permit_daily.c.payment_wait_seconds).label("wait"),
        )
        .where(*_where(permit_daily, filters))
        .group_by(key)
    )
    return result.mappings().all()


async def stage_durations(
    session: AsyncSession, filters: PermitFilters, grouping: PermitGrouping
) -> Sequence[RowMapping]:
    """Per group (``key``), stage and whole working days taken: stages closed, on time."""
    key = _group_key(permit_stage_daily, grouping).label("key")
    columns = permit_stage_daily.c
    result = await session.execute(
        select(
            key,
            columns.stage,
            columns.working_days,
            func.sum(columns.closed).label("closed"),
            func.sum(columns.on_time).label("on_time"),
        )
        .where(*_where(permit_stage_daily, filters))
        .group_by(key, columns.stage, columns.working_days)
    )
    return result.mappings().all()


async def open_cases(
    session: AsyncSession, *, now: datetime, permit_type: str | None, kecamatan: str | None
) -> Sequence[RowMapping]:
    """Applications with the city now, per type, district, stage and age ``band`` (compared
    against the instants permits set): how many, overdue, and at risk but not yet overdue."""
    cases = permit_cases.c
    band = case(
        (cases.aged_11_at <= now, literal("over_10")),
        (cases.aged_6_at <= now, literal("6_10")),
        (cases.aged_3_at <= now, literal("3_5")),
        else_=literal("0_2"),
    ).label("band")
    conditions: list[ColumnElement[bool]] = [cases.stage.is_not(None)]
    if permit_type is not None:
        conditions.append(cases.permit_type == permit_type)
    if kecamatan is not None:
        conditions.append(cases.kecamatan_code == kecamatan)
    result = await session.execute(
        select(
            cases.permit_type,
            cases.kecamatan_code,
            cases.stage,
            band,
            func.count().label("open"),
            func.count().filter(cases.due_at <= now).label("overdue"),
            func.count().filter(cases.at_risk_at <= now, cases.due_at > now).label("at_risk"),
        )
        .where(*conditions)
        .group_by(cases.permit_type, cases.kecamatan_code, cases.stage, band)
    )
    return result.mappings().all()
