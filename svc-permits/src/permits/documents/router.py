"""Endpoints for an application's documents: upload, list, download, remove."""

import uuid
from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, UploadFile, status
from fastapi.responses import StreamingResponse

from kota_shared.openapi import answers
from kota_shared.transaction import CurrentTransaction
from permits.applications.dependencies import VisibleApplication
from permits.dependencies import Citizen
from permits.documents import service
from permits.documents.dependencies import Store, VisibleDocument
from permits.documents.schemas import DocumentRead
from permits.documents.service import Upload
from permits.documents.storage import CHUNK_BYTES
from permits.problems import (
    DocumentEmpty,
    DocumentNameMismatch,
    DocumentStorageFull,
    DocumentTooLarge,
    DocumentTypeNotAccepted,
    NotEditable,
    TooManyDocuments,
    UnknownDocumentKind,
)

router = APIRouter(prefix="/v1/permits/applications/{application_id}/documents", tags=["permits"])


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
        "accept (415) or one too large (413). An application holds at most 20 documents "
        "(409 `too_many_documents` beyond), and an account at most 200 MiB of stored "
        "documents over all its applications, withdrawn and decided ones included (413 "
        "`document_storage_full`, with `limit_bytes` and `used_bytes`), unless the city "
        "sets other limits; a refused file is not kept. The SHA-256 of the content is "
        "returned."
    ),
    responses=answers(
        NotEditable,
        UnknownDocumentKind,
        DocumentNameMismatch,
        DocumentEmpty,
        DocumentTooLarge,
        DocumentTypeNotAccepted,
        TooManyDocuments,
        DocumentStorageFull,
    ),
)
async def upload_document(
    application_id: uuid.UUID,
    kind: Annotated[str, Form(pattern=r"^[a-z][a-z0-9_]{0,39}$", examples=["ktp"])],
    file: Annotated[UploadFile, File(description="PDF, JPEG or PNG")],
    store: Store,
    citizen: Citizen,
) -> DocumentRead:
    upload = Upload(kind=kind, filename=file.filename or "", chunks=_chunks(file))
    document = await service.attach(store, application_id=application_id, upload=upload, by=citizen)
    return DocumentRead.of(document)


@router.get(
    "",
    summary="The application's documents",
    description="Who may call: the citizen who owns the application, or a permits officer.",
)
async def list_documents(
    application: VisibleApplication, tx: CurrentTransaction
) -> list[DocumentRead]:
    return [DocumentRead.of(d) for d in await service.listed(tx, application=application)]


@router.get(
    "/{document_id}/content",
    summary="Download a document",
    description="Who may call: the citizen who owns the application, or a permits officer.",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}}}},
)
async def download_document(document: VisibleDocument, store: Store) -> StreamingResponse:
    chunks = await service.content(store, document=document)
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
    description=(
        "Who may call: the citizen who owns the application. The file is deleted, so it "
        "no longer counts towards the application's or the account's document limits."
    ),
    responses=answers(NotEditable),
)
async def remove_document(
    application_id: uuid.UUID, document_id: uuid.UUID, store: Store, citizen: Citizen
) -> None:
    await service.remove(store, application_id=application_id, document_id=document_id, by=citizen)
