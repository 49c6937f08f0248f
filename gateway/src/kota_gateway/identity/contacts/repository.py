"""The contact API's statements: the accounts asked for, and the audit of each read."""

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kota_gateway.identity.accounts.models import Account
from kota_gateway.identity.contacts.models import ContactRead


async def accounts(
    session: AsyncSession, *, account_ids: Collection[uuid.UUID]
) -> Sequence[Account]:
    """The accounts among ``account_ids`` that exist, in no particular order."""
    result = await session.scalars(select(Account).where(Account.id.in_(account_ids)))
    return result.all()


def record_reads(session: AsyncSession, reads: Sequence[ContactRead]) -> None:
    session.add_all(reads)
