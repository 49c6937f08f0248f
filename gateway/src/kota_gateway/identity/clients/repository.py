"""Queries on agency clients (the only module here that builds a select)."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kota_gateway.identity.clients.models import AgencyClient
from kota_shared.keyset import ListOrder, SortColumn
from kota_shared.pagination import Key


async def get(
    session: AsyncSession, *, client_id: str, for_update: bool = False
) -> AgencyClient | None:
    statement = select(AgencyClient).where(AgencyClient.client_id == client_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


LIST_ORDER = ListOrder(
    [
        SortColumn(AgencyClient.created_at, descending=True),
        SortColumn(AgencyClient.client_id, descending=True),
    ]
)
"""The city admin's registry: newest first (the client id orders those made at once)."""
LIST_KEY_TYPES = (datetime, str)


async def list_page(
    session: AsyncSession, *, after: Key | None, limit: int
) -> Sequence[AgencyClient]:
    """Every client, revoked ones too, in `LIST_ORDER`: ``limit`` of them from the one after
    ``after`` (a `LIST_ORDER` key) on."""
    query = select(AgencyClient)
    if after is not None:
        query = query.where(LIST_ORDER.after(after))
    result = await session.scalars(query.order_by(*LIST_ORDER.order_by()).limit(limit))
    return result.all()


async def add(session: AsyncSession, *, client: AgencyClient) -> None:
    """Insert now, so the row exists before the event announcing it is written."""
    session.add(client)
    await session.flush()


async def insert_if_absent(session: AsyncSession, *, client: AgencyClient) -> bool:
    """Insert unless the id exists (two gateways provisioning it at once); True if inserted."""
    inserted = await session.scalar(
        insert(AgencyClient)
        .values(
            client_id=client.client_id,
            name=client.name,
            agency=client.agency,
            scopes=client.scopes,
            secret_hash=client.secret_hash,
            created_by=client.created_by,
            created_at=client.created_at,
        )
        .on_conflict_do_nothing(index_elements=[AgencyClient.client_id])
        .returning(AgencyClient.client_id)
    )
    return inserted is not None


async def revoked_client_ids(session: AsyncSession) -> Sequence[str]:
    result = await session.scalars(
        select(AgencyClient.client_id).where(AgencyClient.revoked_at.is_not(None))
    )
    return result.all()
