"""What clients receive about an application's documents (the bytes come separately)."""

import uuid
from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict

from permits.documents.models import Document


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

    @classmethod
    def of(cls, document: Document) -> Self:
        """The same for every caller who may see the application."""
        return cls.model_validate(document)
