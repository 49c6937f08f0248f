"""The document store, and the document named in the path, loaded or answered with 404."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from kota_shared.transaction import CurrentTransaction
from permits.applications.dependencies import VisibleApplication
from permits.documents import service
from permits.documents.models import Document
from permits.documents.service import Documents


def _store(request: Request) -> Documents:
    store: Documents = request.app.state.documents
    return store


Store = Annotated[Documents, Depends(_store)]


async def _visible_document(
    application: VisibleApplication, document_id: uuid.UUID, tx: CurrentTransaction
) -> Document:
    return await service.find(tx, application_id=application.id, document_id=document_id)


VisibleDocument = Annotated[Document, Depends(_visible_document)]
"""A document of an application the caller may see (its applicant, or a permits officer)."""
