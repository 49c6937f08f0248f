"""Queries on agency clients (the only module here that builds a select)."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kota_gateway.identity.clients.models import AgencyClient


async def get(
    session: AsyncSession, *, client_id: str, for_update: bool = False
) -> AgencyClient | None:
    statement = select(AgencyClient).where(AgencyClient.client_id == client_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def list_all(session: AsyncSession) -> Sequence[AgencyClient]:
    result = await session.scalars(select(AgencyClient).order_by(AgencyClient.created_at))
    return result.all()


async def add(session: AsyncSession, *, client: AgencyClient) -> None:
    """Insert now, so the row exists before the event announcing it is written."""
    session.add(client)
    await session.flush()


async def revoked_client_ids(session: AsyncSession) -> Sequence[str]:
    result = await session.scalars(
        select(AgencyClient.client_id).where(AgencyClient.revoked_at.is_not(None))
    )
    return result.all()
