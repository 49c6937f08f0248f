"""Counters kept per key: the one way every read model here writes and sums its figures.

A figure row is found by its key columns and its counters are added to in one upsert, so two
events of the same day and key never race each other into two rows.
"""

from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from monitoring.aggregates import plain


async def add(session: AsyncSession, table: Table, key: dict[str, object], **amounts: int) -> None:
    """Add ``amounts`` to the counters of ``table``'s row at ``key``, making it if new."""
    if not amounts:
        return
    statement = _upsert(table, tuple(key), tuple(amounts), keep_highest=False)
    await session.execute(statement, {**key, **amounts})


async def keep_highest(
    session: AsyncSession, table: Table, key: dict[str, object], **values: int
) -> None:
    """Keep the largest of each of ``values`` seen at ``key`` (a day's places): an order-free
    rule, so a replay gives the same row whatever order the partitions are read in."""
    statement = _upsert(table, tuple(key), tuple(values), keep_highest=True)
    await session.execute(statement, {**key, **values})


@cache
def _upsert(
    table: Table, key: tuple[str, ...], counters: tuple[str, ...], *, keep_highest: bool
) -> Insert:
    """One statement per table and shape, built once: every event of a read model runs one,
    and building it anew (its ``excluded`` columns, its cache key) cost more CPU than the
    database spent on it. The values come as the execution's parameters."""
    statement = insert(table)
    changes: dict[str, ColumnElement[Any]]
    if keep_highest:
        changes = {
            name: func.greatest(table.c[name], statement.excluded[name]) for name in counters
        }
    else:
        changes = {name: table.c[name] + statement.excluded[name] for name in counters}
    return statement.on_conflict_do_update(index_elements=list(key), set_=changes)


async def sums(
    session: AsyncSession,
    table: Table,
    *,
    keys: Mapping[str, ColumnElement[Any]],
    counters: tuple[str, ...],
    where: list[ColumnElement[bool]],
) -> list[dict[str, Any]]:
    """``counters`` summed per distinct ``keys`` (named as the rows name them), in key order."""
    labelled = [column.label(name) for name, column in keys.items()]
    result = await session.execute(
        select(*labelled, *(func.sum(table.c[name]).label(name) for name in counters))
        .where(*where)
        .group_by(*labelled)
        .order_by(*labelled)
    )
    return [
        {name: plain(row[name]) for name in keys} | {name: int(row[name] or 0) for name in counters}
        for row in result.mappings()
    ]
