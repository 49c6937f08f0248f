"""Queries on issued permits and the counters that number them."""

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from permits.issuance.models import Permit, PermitNumberCounter


async def get(
    session: AsyncSession, *, permit_id: uuid.UUID, for_update: bool = False
) -> Permit | None:
    query = select(Permit).where(Permit.id == permit_id)
    return await session.scalar(query.with_for_update() if for_update else query)


async def by_application(session: AsyncSession, *, application_id: uuid.UUID) -> Permit | None:
    return await session.scalar(select(Permit).where(Permit.application_id == application_id))


async def by_number(session: AsyncSession, *, number: str) -> Permit | None:
    return await session.scalar(select(Permit).where(Permit.number == number))


async def next_sequence(session: AsyncSession, *, permit_type: str, year: int) -> int:
    """The next number of ``permit_type`` in ``year``, taken inside the caller's transaction.

    The upsert locks the counter row until the transaction ends: concurrent issuances of one
    type wait for each other, and a rollback returns the number, so none is skipped.
    """
    statement = insert(PermitNumberCounter).values(
        permit_type=permit_type, year=year, last_sequence=1
    )
    sequence: int | None = await session.scalar(
        statement.on_conflict_do_update(
            index_elements=[PermitNumberCounter.permit_type, PermitNumberCounter.year],
            set_={"last_sequence": PermitNumberCounter.last_sequence + 1},
        ).returning(PermitNumberCounter.last_sequence)
    )
    assert sequence is not None  # an upsert with RETURNING always returns the row
    return sequence
