"""Endpoints for an application's documents: upload, list, download, remove."""

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict

from kota_shared.clock import Now
from kota_shared.db import DbSession
from kota_shared.problems import NotFound
from permits.applications import repository as applications
from permits.dependencies import Citizen, CitizenOrOfficer, is_officer
from permits.documents import repository, service
from permits.documents.service import Documents, Upload
from permits.documents.storage import CHUNK_BYTES, DocumentMissing

router = APIRouter(prefix="/v1/permits/applications/{application_id}/documents", tags=["permits"])


class DocumentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


def _store(request: Request) -> Documents:
    store: Documents = request.app.state.documents
    return store


Store = Annotated[Documents, Depends(_store)]


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK_BYTES):
        yield chunk


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Upload a document the permit type asks for",
    description=(
        "Who may call: the citizen who owns the application, while it is a draft or sent "
        "back for revision. The file's type is judged by its content: a file that is not "
        "what its name says is refused (422), as is one of a type the document does not "
        "accept (415) or one too large (413). The SHA-256 of the content is returned."
    ),
)
async def upload_document(
    application_id: uuid.UUID,
    kind: Annotated[str, Form(pattern=r"^[a-z][a-z0-9_]{0,39}$", examples=["ktp"])],
    file: Annotated[UploadFile, File(description="PDF, JPEG or PNG")],
    store: Store,
    citizen: Citizen,
    now: Now,
) -> DocumentRead:
    upload = Upload(kind=kind, filename=file.filename or "", chunks=_chunks(file))
    document = await service.attach(store, citizen, application_id, upload, now)
    return DocumentRead.model_validate(document)


async def _visible_application(
    session: DbSession, caller: CitizenOrOfficer, application_id: uuid.UUID
) -> uuid.UUID:
    """The application's id if the caller may see it: its applicant, or a permits officer."""
    found = await applications.get_visible(
        session=session,
        application_id=application_id,
        viewer=caller.subject,
        sees_all=is_officer(caller),
    )
    if found is None:
        raise NotFound("No application with this id belongs to you.")
    return found.id


VisibleApplication = Annotated[uuid.UUID, Depends(_visible_application)]


@router.get(
    "",
    summary="The application's documents",
    description="Who may call: the citizen who owns the application, or a permits officer.",
)
async def list_documents(
    application_id: VisibleApplication, session: DbSession
) -> list[DocumentRead]:
    return [
        DocumentRead.model_validate(d) for d in await repository.list_for(session, application_id)
    ]


@router.get(
    "/{document_id}/content",
    summary="Download a document",
    description="Who may call: the citizen who owns the application, or a permits officer.",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}}}},
)
async def download_document(
    document_id: uuid.UUID,
    application_id: VisibleApplication,
    session: DbSession,
    store: Store,
) -> StreamingResponse:
    document = await repository.get(session, application_id, document_id)
    if document is None:
        raise NotFound("The application has no document with this id.")
    try:
        chunks = await store.storage.open(document.storage_key)
    except DocumentMissing:
        raise NotFound("The document's file is not available.") from None
    return StreamingResponse(
        chunks,
        media_type=document.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.delete(
    "/{document_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a document from a draft (or an application sent back for revision)",
    description="Who may call: the citizen who owns the application.",
)
async def remove_document(
    application_id: uuid.UUID, document_id: uuid.UUID, store: Store, citizen: Citizen
) -> None:
    await service.remove(store, citizen, application_id, document_id)
