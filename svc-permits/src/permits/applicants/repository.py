"""Locking an applicant account's row (the only statement on it)."""

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from permits.applicants.models import Applicant


async def lock(session: AsyncSession, *, applicant_id: str) -> None:
    """Hold the account's row (created if new) until the transaction ends.

    Whatever the caller counts after this sees every draft and document the account's
    earlier requests committed (READ COMMITTED: each statement reads what is committed when
    it starts), and no request of the account can add one before this transaction ends.
    The no-op update is what locks an existing row; ``ON CONFLICT DO NOTHING`` would not.
    """
    statement = insert(Applicant).values(applicant_id=applicant_id)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Applicant.applicant_id],
            set_={"applicant_id": statement.excluded.applicant_id},
        )
    )
