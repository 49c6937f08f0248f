"""Announcements: what the city tells everyone, some kecamatan or its officers, with the
image they show and how far their fan-out into inboxes has come."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from information.db import Base
from kota_contracts.information import AnnouncementAudience, AnnouncementCategory
from kota_shared.db import value_enum


class AnnouncementStatus(enum.StrEnum):
    DRAFT = "draft"
    """Being written: editable, seen by officers only."""
    PUBLISHED = "published"
    """Current from ``publish_at`` (scheduled until then) to ``expires_at``."""
    WITHDRAWN = "withdrawn"
    """Taken back: out of the feed, and no further inbox receives it."""


class Announcement(Base):
    __tablename__ = "announcements"
    __table_args__ = (
        # The public feed: published ones, newest publication first.
        Index(
            "ix_announcements_feed",
            text("publish_at DESC"),
            text("id DESC"),
            postgresql_where=text("status = 'published'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    status: Mapped[AnnouncementStatus] = mapped_column(value_enum(AnnouncementStatus))
    category: Mapped[AnnouncementCategory] = mapped_column(value_enum(AnnouncementCategory))
    title_id: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    body_id: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[AnnouncementAudience] = mapped_column(value_enum(AnnouncementAudience))
    kecamatan_codes: Mapped[list[str]] = mapped_column(ARRAY(String(8)))
    """Dotted Kemendagri codes, for a kecamatan audience (else empty)."""
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    """Staff roles, for an officers' audience (else empty)."""
    publish_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When it becomes current; a draft without one is published at the moment it is."""
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When it leaves the feed (none: when it is withdrawn)."""
    image_content_type: Mapped[str | None] = mapped_column(String(40))
    """As sniffed from the image's bytes (`announcements.images`), never as claimed."""
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    image_size: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """The last change of what it says or shows (the feed's ``updated``)."""
    published_by: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def has_image(self) -> bool:
        return self.image_sha256 is not None


class AnnouncementImage(Base):
    """The image's bytes, apart from the row the feed and the lists read."""

    __tablename__ = "announcement_images"

    announcement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[bytes] = mapped_column(LargeBinary)


class FanOut(Base):
    """An announcement's way into its audience's inboxes, walked in account id order, one
    chunk per transaction: ``cursor`` is the last account a committed chunk reached, so a
    crash loses at most the chunk in flight, which its successor does again."""

    __tablename__ = "announcement_fan_outs"
    __table_args__ = (
        # What the periodic task looks for: fan-outs not finished.
        Index(
            "ix_announcement_fan_outs_open", "due_at", postgresql_where=text("completed_at IS NULL")
        ),
    )

    announcement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True
    )
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """The announcement's ``publish_at``: no inbox receives it earlier."""
    cursor: Mapped[uuid.UUID | None]
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    """Notices created so far."""
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
