"""Queries on uploaded documents' metadata."""

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from permits.applications.models import Application
from permits.documents.models import Document


async def list_for(session: AsyncSession, *, application_id: uuid.UUID) -> Sequence[Document]:
    return (
        await session.scalars(
            select(Document)
            .where(Document.application_id == application_id)
            .order_by(Document.uploaded_at, Document.id)
        )
    ).all()


async def count_for(session: AsyncSession, *, application_id: uuid.UUID) -> int:
    """How many documents the application holds."""
    count = await session.scalar(
        select(func.count()).select_from(Document).where(Document.application_id == application_id)
    )
    return int(count or 0)


async def bytes_stored_for(session: AsyncSession, *, applicant_id: str) -> int:
    """The bytes of every document stored on any of ``applicant_id``'s applications."""
    total = await session.scalar(
        select(func.coalesce(func.sum(Document.size), 0))
        .join(Application, Application.id == Document.application_id)
        .where(Application.applicant_id == applicant_id)
    )
    return int(total or 0)


async def kinds_for(session: AsyncSession, *, application_id: uuid.UUID) -> set[str]:
    """Which document kinds the application has at least one of."""
    return set(
        await session.scalars(
            select(Document.kind).where(Document.application_id == application_id).distinct()
        )
    )


async def get(
    session: AsyncSession, *, application_id: uuid.UUID, document_id: uuid.UUID
) -> Document | None:
    return await session.scalar(
        select(Document).where(
            Document.id == document_id, Document.application_id == application_id
        )
    )


async def delete(session: AsyncSession, *, document: Document) -> None:
    await session.delete(document)
