"""A miniature service for testing the event machinery: parcels scanned along a route."""

from typing import Any, ClassVar

from sqlalchemy import Column, DateTime, Integer, String, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_shared.db import new_metadata
from kota_shared.events.envelope import EventData, ReceivedEvent
from kota_shared.events.tables import event_tables

metadata = new_metadata()
TABLES = event_tables(metadata)
scans = Table(
    "scans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("parcel", String(64), nullable=False),
    Column("step", Integer, nullable=False),
    Column("event_id", String(64), nullable=False),
    # now() of the consumer's transaction: with the outbox row's created_at (the writer's),
    # the delay from commit to effect on one clock, the database's.
    Column("applied_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)


class ParcelScanned(EventData):
    event_type: ClassVar[str] = "test.parcel.scanned.v1"
    topic: ClassVar[str] = "test.parcels"

    parcel: str
    step: int


async def record_scan(session: AsyncSession, event: ReceivedEvent[ParcelScanned]) -> None:
    await session.execute(
        scans.insert().values(parcel=event.data.parcel, step=event.data.step, event_id=event.id)
    )


async def scans_of(sessionmaker: async_sessionmaker[AsyncSession], parcels: list[str]) -> list[Any]:
    """Applied scans of these parcels, in the order they were applied."""
    async with sessionmaker() as session:
        return list(
            (
                await session.execute(
                    select(scans.c.parcel, scans.c.step, scans.c.event_id)
                    .where(scans.c.parcel.in_(parcels))
                    .order_by(scans.c.id)
                )
            ).all()
        )


async def count_scans(sessionmaker: async_sessionmaker[AsyncSession], parcels: list[str]) -> int:
    async with sessionmaker() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(scans).where(scans.c.parcel.in_(parcels))
            )
            or 0
        )
