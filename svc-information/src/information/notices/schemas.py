"""What clients receive about notices."""

import uuid
from datetime import datetime
from typing import Self

from pydantic import BaseModel, Field

from information.notices.models import Notice
from kota_shared.i18n import Language


class NoticeRead(BaseModel):
    id: uuid.UUID
    kind: str = Field(examples=["permit.approved"])
    subject_ref: str = Field(description="What it is about: an application, invoice or booking.")
    title: str
    body: str
    language: Language = Field(description="The language of title and body.")
    read: bool
    archived: bool
    created_at: datetime
    read_at: datetime | None
    archived_at: datetime | None

    @classmethod
    def of(cls, notice: Notice, language: Language) -> Self:
        texts = notice.content.get(language) or notice.content["id"]
        return cls(
            id=notice.id,
            kind=notice.kind,
            subject_ref=notice.subject_ref,
            title=texts["title"],
            body=texts["body"],
            language=language if language in notice.content else "id",
            read=notice.read_at is not None,
            archived=notice.archived_at is not None,
            created_at=notice.created_at,
            read_at=notice.read_at,
            archived_at=notice.archived_at,
        )


class UnreadCount(BaseModel):
    unread: int
