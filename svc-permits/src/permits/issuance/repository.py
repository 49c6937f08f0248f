"""Queries on issued permits."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from permits.issuance.models import Permit


async def get(
    session: AsyncSession, permit_id: uuid.UUID, *, for_update: bool = False
) -> Permit | None:
    query = select(Permit).where(Permit.id == permit_id)
    return await session.scalar(query.with_for_update() if for_update else query)


async def by_application(session: AsyncSession, application_id: uuid.UUID) -> Permit | None:
    return await session.scalar(select(Permit).where(Permit.application_id == application_id))


async def by_number(session: AsyncSession, number: str) -> Permit | None:
    return await session.scalar(select(Permit).where(Permit.number == number))
