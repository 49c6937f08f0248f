"""Gap-free permit numbers per type and year."""

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from permits.issuance.models import PermitNumberCounter


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
