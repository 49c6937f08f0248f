"""Queries on applications (the only module here that builds a select)."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from permits.applications.models import Application


async def get_owned(
    *, session: AsyncSession, application_id: uuid.UUID, applicant_id: str
) -> Application | None:
    """One application, only if it belongs to ``applicant_id`` (others' are invisible)."""
    return await session.scalar(
        select(Application).where(
            Application.id == application_id, Application.applicant_id == applicant_id
        )
    )


async def list_owned(
    *, session: AsyncSession, applicant_id: str, limit: int
) -> Sequence[Application]:
    """The applicant's applications, newest first."""
    return (
        await session.scalars(
            select(Application)
            .where(Application.applicant_id == applicant_id)
            .order_by(Application.created_at.desc(), Application.id)
            .limit(limit)
        )
    ).all()
