"""Queries on uploaded documents' metadata."""

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from permits.documents.models import Document


async def list_for(session: AsyncSession, *, application_id: uuid.UUID) -> Sequence[Document]:
    return (
        await session.scalars(
            select(Document)
            .where(Document.application_id == application_id)
            .order_by(Document.uploaded_at, Document.id)
        )
    ).all()


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
