"""Attaching documents to an application so that bytes and record never disagree.

Attaching and removing run a transaction of their own around the storage call instead of
the usual request-boundary commit, so they take the store, not the request's transaction:
the object is stored before the row commits and deleted again if the commit fails, and on
removal the object goes only after the row is gone. Reads use the request's transaction.

Attaching also keeps the limits (`Documents`): the application's row is locked first, so
its documents are counted with no other upload of it in between, and the applicant
account's row next (`permits.applicants`), so the account's stored bytes are summed with
no upload to another of its applications in between. Both are checked before the object
is stored: a refused upload leaves no object and no row, however many race.
"""

import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kota_shared.auth import Principal
from kota_shared.i18n import FileSize, Localized
from kota_shared.problems import NotFound, Problem
from kota_shared.transaction import Transaction
from permits.applicants import repository as applicants
from permits.applications import lookup
from permits.applications.models import Application
from permits.applications.service import ensure_editable
from permits.catalogue import repository as catalogue
from permits.documents import intake, repository
from permits.documents.models import Document
from permits.documents.storage import DocumentMissing, DocumentStorage
from permits.messages import _
from permits.problems import (
    DocumentEmpty,
    DocumentNameMismatch,
    DocumentStorageFull,
    DocumentTooLarge,
    DocumentTypeNotAccepted,
    TooManyDocuments,
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
    context: Callable[[AsyncSession], Transaction]
    """Makes each operation's own transaction from its session (the service's, at its now)."""
    storage: DocumentStorage
    staging: Path
    max_bytes: int
    """The largest one document may be (``PERMITS_DOCUMENT_MAX_BYTES``)."""
    max_per_application: int
    """How many documents one application may hold."""
    max_bytes_per_account: int
    """How many bytes of documents one applicant account may have stored in all."""


@dataclass(frozen=True)
class Upload:
    kind: str
    filename: str
    chunks: AsyncIterator[bytes]


async def _own_editable(
    tx: Transaction, *, application_id: uuid.UUID, applicant: Principal
) -> Application:
    application = await lookup.own(
        tx, application_id=application_id, applicant=applicant, for_update=True
    )
    ensure_editable(application)
    return application


async def attach(
    store: Documents, *, application_id: uuid.UUID, upload: Upload, by: Principal
) -> Document:
    """Check, store and record one document; on any failure nothing of it remains.

    Locks the application's row, then its applicant's: no operation takes the two in the
    other order (starting a draft takes only the applicant's), so none can deadlock.
    """
    stored_key: str | None = None
    staged: intake.StagedFile | None = None
    try:
        async with store.sessionmaker() as session, session.begin():
            tx = store.context(session)
            application = await _own_editable(tx, application_id=application_id, applicant=by)
            definition = await catalogue.get(session, code=application.permit_type)
            requirement = (
                next((d for d in definition.documents if d.kind == upload.kind), None)
                if definition
                else None
            )
            if requirement is None:
                raise UnknownDocumentKind(
                    _(
                        "An application for “{permit_type}” takes no document of this kind: "
                        "upload only the documents its permit type lists.",
                        permit_type=Localized(id=definition.name_id, en=definition.name_en)
                        if definition
                        else application.permit_type,
                    )
                )
            await _check_room_for_another(store, session, application=application)
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
            # Locked only now, not while the upload was read: a slow upload holds back the
            # account's other requests no longer than the check and the put take.
            await _check_account_room(store, session, application=application, size=staged.size)
            document = Document(
                id=uuid.uuid4(),
                application_id=application.id,
                kind=upload.kind,
                filename=upload.filename,
                content_type=staged.content_type,
                size=staged.size,
                sha256=staged.sha256,
                uploaded_by=by.acted_by,
                uploaded_at=tx.now,
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


async def _check_room_for_another(
    store: Documents, session: AsyncSession, *, application: Application
) -> None:
    """Refuse a document the application has no room for (its row is locked by the caller,
    so no other upload to it can be counted in between)."""
    held = await repository.count_for(session, application_id=application.id)
    if held >= store.max_per_application:
        raise TooManyDocuments(
            _(
                "An application can hold at most {limit} documents, and this one has "
                "{limit}. Remove a document it no longer needs, then upload this one.",
                limit=store.max_per_application,
            ),
            limit=store.max_per_application,
        )


async def _check_account_room(
    store: Documents, session: AsyncSession, *, application: Application, size: int
) -> None:
    """Lock the applicant's row and refuse a document of ``size`` bytes that would take the
    account's stored documents past their limit."""
    await applicants.lock(session, applicant_id=application.applicant_id)
    used = await repository.bytes_stored_for(session, applicant_id=application.applicant_id)
    if used + size > store.max_bytes_per_account:
        raise DocumentStorageFull(
            _(
                "Your account already stores {used} of documents, and this file ({size}) "
                "would take it past the {limit} one account may store. Remove documents "
                "you no longer need from your drafts (or from applications sent back for "
                "revision), then upload this one.",
                used=FileSize(used),
                size=FileSize(size),
                limit=FileSize(store.max_bytes_per_account),
            ),
            limit_bytes=store.max_bytes_per_account,
            used_bytes=used,
        )


async def remove(
    store: Documents, *, application_id: uuid.UUID, document_id: uuid.UUID, by: Principal
) -> None:
    """Forget the row, then the bytes: a crash in between leaves an orphan object, never
    a record pointing at nothing."""
    async with store.sessionmaker() as session, session.begin():
        tx = store.context(session)
        await _own_editable(tx, application_id=application_id, applicant=by)
        document = await find(tx, application_id=application_id, document_id=document_id)
        await repository.delete(session, document=document)
        key = document.storage_key
    await store.storage.delete(key)


async def listed(tx: Transaction, *, application: Application) -> Sequence[Document]:
    """The application's documents, in the order they were uploaded."""
    return await repository.list_for(tx.session, application_id=application.id)


async def find(tx: Transaction, *, application_id: uuid.UUID, document_id: uuid.UUID) -> Document:
    """One of the application's documents, or 404."""
    document = await repository.get(
        tx.session, application_id=application_id, document_id=document_id
    )
    if document is None:
        raise NotFound(_("The application has no document with this id."))
    return document


async def content(store: Documents, *, document: Document) -> AsyncIterator[bytes]:
    """The document's bytes, or 404 when its file is not (or no longer) in storage."""
    try:
        return await store.storage.open(document.storage_key)
    except DocumentMissing:
        raise NotFound(_("The document's file is not available.")) from None
