"""What the delivery endpoints answer: a notice's messages, and a receipt's acknowledgement."""

import uuid
from datetime import datetime
from typing import Self

from pydantic import BaseModel, Field

from information.delivery.models import Message
from information.delivery.statuses import MessageStatus
from information.preferences.models import Channel


class MessageRead(BaseModel):
    """One channel's try at a notice; never the number it went to."""

    id: uuid.UUID
    channel: Channel
    status: MessageStatus = Field(
        description="`created` (waiting: new, or held by quiet hours or a limit until "
        "`due_at`), `sending` (with the provider, waiting for its receipt), `delivered`, "
        "`read` (WhatsApp), `permanent_failure`, `temporary_failure` (or no receipt in "
        "time), `technical_failure` (the provider did not take it; tried again while "
        "`due_at` is set)."
    )
    due_at: datetime | None = Field(description="When the dispatcher acts on it next.")
    attempts: int
    sent_at: datetime | None
    status_changed_at: datetime
    error_code: str | None = Field(
        description="Why it failed or waits: the provider's code, `no_receipt`, "
        "`quiet_hours`, `number_limit`, `identical_limit`, `no_provider`, `no_template`, "
        "`template_failed`."
    )
    created_at: datetime

    @classmethod
    def of(cls, message: Message) -> Self:
        return cls(
            id=message.id,
            channel=message.channel,
            status=message.status,
            due_at=message.due_at,
            attempts=message.attempts,
            sent_at=message.sent_at,
            status_changed_at=message.status_changed_at,
            error_code=message.error_code,
            created_at=message.created_at,
        )


class ReceiptsAcknowledged(BaseModel):
    applied: int = Field(description="Receipts that moved their message on.")
    unchanged: int = Field(description="Repeats, or news older than what is known.")
    unknown: int = Field(description="Receipts for no message of ours (ignored).")
