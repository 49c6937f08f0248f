"""Keyset pages over a real PostgreSQL table walk exactly the rows of the full ordered query,
for orders with descending columns and NULLs last, whatever the page size."""

import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import DateTime, Integer, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kota_dev.pytest_plugin import Infrastructure, create_database
from kota_shared.db import create_sessionmaker
from kota_shared.keyset import ListOrder, SortColumn
from kota_shared.pagination import decode_cursor, encode_cursor


class _Base(DeclarativeBase):
    pass


class Row(_Base):
    __tablename__ = "rows"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)


ORDERS = {
    "due first, undated last": ListOrder(
        [
            SortColumn(Row.due_at, nulls_last=True),
            SortColumn(Row.rank, nulls_last=True),
            SortColumn(Row.id),
        ]
    ),
    "latest first": ListOrder(
        [SortColumn(Row.due_at, descending=True, nulls_last=True), SortColumn(Row.id)]
    ),
    "rank high to low, then id": ListOrder(
        [SortColumn(Row.rank, descending=True, nulls_last=True), SortColumn(Row.id)]
    ),
}


@pytest.fixture(scope="module")
async def rows(infrastructure: Infrastructure) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_async_engine(await create_database(infrastructure, "keyset"))
    async with engine.begin() as connection:
        await connection.run_sync(_Base.metadata.create_all)
    sessionmaker = create_sessionmaker(engine)
    chooser = random.Random(20261203)
    start = datetime(2026, 12, 1, tzinfo=UTC)
    async with sessionmaker.begin() as session:
        for _ in range(60):
            session.add(
                Row(
                    id=uuid.uuid4(),
                    # Few distinct values, so ties and NULLs are common.
                    due_at=chooser.choice([None, start, start + timedelta(days=1)]),
                    rank=chooser.choice([None, 1, 2, 3]),
                )
            )
    yield sessionmaker
    await engine.dispose()


@pytest.mark.parametrize("order_name", list(ORDERS))
@pytest.mark.parametrize("page_size", [1, 4, 7, 60, 100])
async def test_pages_walk_the_full_order_once(
    rows: async_sessionmaker[AsyncSession], order_name: str, page_size: int
) -> None:
    order = ORDERS[order_name]
    async with rows() as session:
        everything = (await session.scalars(select(Row).order_by(*order.order_by()))).all()
        walked: list[uuid.UUID] = []
        after = None
        while True:
            query = select(Row).order_by(*order.order_by()).limit(page_size)
            if after is not None:
                query = query.where(order.after(after))
            page = (await session.scalars(query)).all()
            walked += [row.id for row in page]
            if len(page) < page_size:
                break
            after = decode_cursor(encode_cursor(order.key(page[-1])))  # as a client sends it

    assert walked == [row.id for row in everything]
