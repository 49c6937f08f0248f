"""Attaching documents to an application so that bytes and record never disagree.

Each operation runs its own transaction around the storage call instead of the usual
request-boundary commit: the object is stored before the row commits and deleted again if
the commit fails, and on removal the object goes only after the row is gone.
"""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_shared.auth import Principal
from kota_shared.problems import NotFound, Problem
from permits.applications import repository as applications
from permits.applications.models import Application
from permits.applications.service import ensure_editable
from permits.catalogue import repository as catalogue
from permits.documents import intake
from permits.documents import repository as documents
from permits.documents.models import Document
from permits.documents.storage import DocumentStorage
from permits.problems import (
    DocumentEmpty,
    DocumentNameMismatch,
    DocumentTooLarge,
    DocumentTypeNotAccepted,
    UnknownDocumentKind,
)

_PROBLEMS: dict[type[intake.IntakeError], type[Problem]] = {
    intake.TooLarge: DocumentTooLarge,
    intake.UnacceptableType: DocumentTypeNotAccepted,
    intake.NameMismatch: DocumentNameMismatch,
    intake.EmptyFile: DocumentEmpty,
}


@dataclass(frozen=True)
class Documents:
    """The document store as this service configured it."""

    sessionmaker: async_sessionmaker[AsyncSession]
    storage: DocumentStorage
    staging: Path
    max_bytes: int


@dataclass(frozen=True)
class Upload:
    kind: str
    filename: str
    chunks: AsyncIterator[bytes]


async def _own_editable(
    session: AsyncSession, citizen: Principal, application_id: uuid.UUID
) -> Application:
    application = await applications.get_owned(
        session=session,
        application_id=application_id,
        applicant_id=citizen.subject,
        for_update=True,
    )
    if application is None:
        raise NotFound("No application with this id belongs to you.")
    ensure_editable(application)
    return application


async def attach(
    store: Documents, citizen: Principal, application_id: uuid.UUID, upload: Upload, now: datetime
) -> Document:
    """Check, store and record one document; on any failure nothing of it remains."""
    stored_key: str | None = None
    staged: intake.StagedFile | None = None
    try:
        async with store.sessionmaker() as session, session.begin():
            application = await _own_editable(session, citizen, application_id)
            definition = await catalogue.get(session, application.permit_type)
            requirement = (
                next((d for d in definition.documents if d.kind == upload.kind), None)
                if definition
                else None
            )
            if requirement is None:
                raise UnknownDocumentKind(
                    f"A {application.permit_type} application takes no document of kind "
                    f"{upload.kind!r}."
                )
            try:
                staged = await intake.receive(
                    upload.chunks,
                    directory=store.staging,
                    max_bytes=min(requirement.max_bytes, store.max_bytes),
                    accepted=frozenset(requirement.content_types),
                    filename=upload.filename,
                )
            except intake.IntakeError as exc:
                raise _PROBLEMS[type(exc)](exc.message) from None
            document = Document(
                id=uuid.uuid4(),
                application_id=application.id,
                kind=upload.kind,
                filename=upload.filename,
                content_type=staged.content_type,
                size=staged.size,
                sha256=staged.sha256,
                uploaded_by=citizen.acted_by,
                uploaded_at=now,
            )
            document.storage_key = f"applications/{application.id}/{document.id}"
            stored_key = document.storage_key
            await store.storage.put(stored_key, staged)
            session.add(document)
        return document
    except BaseException:
        if stored_key is not None:
            await store.storage.delete(stored_key)
        raise
    finally:
        if staged is not None:
            staged.discard()


async def remove(
    store: Documents, citizen: Principal, application_id: uuid.UUID, document_id: uuid.UUID
) -> None:
    """Forget the row, then the bytes: a crash in between leaves an orphan object, never
    a record pointing at nothing."""
    async with store.sessionmaker() as session, session.begin():
        await _own_editable(session, citizen, application_id)
        document = await documents.get(session, application_id, document_id)
        if document is None:
            raise NotFound("The application has no document with this id.")
        await session.delete(document)
        key = document.storage_key
    await store.storage.delete(key)
