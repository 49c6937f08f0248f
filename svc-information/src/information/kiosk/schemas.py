"""What a kiosk reads about a citizen's letters, and asks to hand over."""

import enum
import uuid
from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator

from information.kiosk.repository import Letter, WaitingCitizen
from information.messages import _
from kota_shared.i18n import Language, refused


class LetterStatus(enum.StrEnum):
    PENDING = "pending"
    """Neither handed over nor read in the app: the kiosk should print it."""
    READ_IN_APP = "read_in_app"
    HANDED_OVER = "handed_over"


class LetterRead(BaseModel):
    notice_id: uuid.UUID
    kind: str = Field(examples=["permit.approved"])
    subject_ref: str = Field(description="What it is about: an application, invoice or booking.")
    title: str = Field(description="The notice's title, as the inbox shows it.")
    language: Language = Field(description="The language of the title.")
    status: LetterStatus
    created_at: datetime
    read_at: datetime | None = Field(
        description="When the citizen read it in the app, or when it was handed over."
    )
    handed_over_at: datetime | None
    handed_over_by: uuid.UUID | None = Field(description="The officer's account id.")

    @classmethod
    def of(cls, letter: Letter, language: Language) -> Self:
        notice, handover = letter.notice, letter.handover
        written_in = language if language in notice.content else "id"
        if handover is not None:
            status = LetterStatus.HANDED_OVER
        else:
            status = LetterStatus.PENDING if letter.pending else LetterStatus.READ_IN_APP
        return cls(
            notice_id=notice.id,
            kind=notice.kind,
            subject_ref=notice.subject_ref,
            title=notice.content[written_in]["title"],
            language=written_in,
            status=status,
            created_at=notice.created_at,
            read_at=notice.read_at,
            handed_over_at=handover.handed_over_at if handover else None,
            handed_over_by=handover.handed_over_by if handover else None,
        )


class HandoverRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "notice_ids": [
                        "4f6d2c1e-8b1a-4f0e-9a57-2d3c4b5a6e7f",
                        "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    ]
                }
            ]
        },
    )

    notice_ids: list[uuid.UUID] = Field(
        min_length=1,
        max_length=100,
        description="The letters handed over together (a printed batch): each once.",
    )

    @field_validator("notice_ids")
    @classmethod
    def _each_once(cls, notice_ids: list[uuid.UUID]) -> list[uuid.UUID]:
        if len(set(notice_ids)) != len(notice_ids):
            raise refused("duplicate_notice", _("Each letter may be named once."))
        return notice_ids


class WaitingCitizenRead(BaseModel):
    account_id: uuid.UUID
    pending: int = Field(description="Letters neither handed over nor read in the app.")
    oldest_pending_at: datetime

    @classmethod
    def of(cls, waiting: WaitingCitizen) -> Self:
        return cls(
            account_id=waiting.account_id,
            pending=waiting.pending,
            oldest_pending_at=waiting.oldest_pending_at,
        )
