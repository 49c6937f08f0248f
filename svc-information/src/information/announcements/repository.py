"""Queries on announcements, their images and their fan-outs (the only module here that
touches them)."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from information.announcements.models import (
    Announcement,
    AnnouncementImage,
    AnnouncementStatus,
    FanOut,
)
from kota_contracts.information import AnnouncementAudience
from kota_shared.keyset import ListOrder, SortColumn
from kota_shared.pagination import Key

OFFICE_ORDER = ListOrder(
    [
        SortColumn(Announcement.created_at, descending=True),
        SortColumn(Announcement.id, descending=True),
    ]
)
"""Officers' list: the newest written first."""
OFFICE_KEY_TYPES = (datetime, uuid.UUID)
FEED_ORDER = ListOrder(
    [
        SortColumn(Announcement.publish_at, descending=True),
        SortColumn(Announcement.id, descending=True),
    ]
)
"""The public feed: the newest publication first."""
FEED_KEY_TYPES = (datetime, uuid.UUID)


async def add(session: AsyncSession, announcement: Announcement) -> Announcement:
    session.add(announcement)
    await session.flush()
    return announcement


async def get(
    session: AsyncSession, *, announcement_id: uuid.UUID, for_update: bool = False
) -> Announcement | None:
    query = select(Announcement).where(Announcement.id == announcement_id)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query, execution_options={"populate_existing": for_update})


async def listed(
    session: AsyncSession,
    *,
    statuses: Sequence[AnnouncementStatus] | None,
    after: Key | None,
    limit: int,
) -> Sequence[Announcement]:
    query = select(Announcement)
    if statuses:
        query = query.where(Announcement.status.in_(statuses))
    if after is not None:
        query = query.where(OFFICE_ORDER.after(after))
    return (await session.scalars(query.order_by(*OFFICE_ORDER.order_by()).limit(limit))).all()


async def delete(session: AsyncSession, *, announcement: Announcement) -> None:
    await session.delete(announcement)


async def set_image(
    session: AsyncSession, *, announcement_id: uuid.UUID, content: bytes | None
) -> None:
    """Store the image's bytes (None: remove them)."""
    stored = await session.get(AnnouncementImage, announcement_id)
    if content is None:
        if stored is not None:
            await session.delete(stored)
    elif stored is None:
        session.add(AnnouncementImage(announcement_id=announcement_id, content=content))
    else:
        stored.content = content
    await session.flush()


async def image_content(session: AsyncSession, *, announcement_id: uuid.UUID) -> bytes | None:
    return await session.scalar(
        select(AnnouncementImage.content).where(
            AnnouncementImage.announcement_id == announcement_id
        )
    )


def _for_the_public(kecamatan_codes: Sequence[str]) -> ColumnElement[bool]:
    """Everyone's, and those of a kecamatan: of any of ``kecamatan_codes``, or of any
    kecamatan when none are given. Officers' never."""
    kecamatan = Announcement.audience == AnnouncementAudience.KECAMATAN
    if kecamatan_codes:
        kecamatan = and_(kecamatan, Announcement.kecamatan_codes.overlap(list(kecamatan_codes)))
    return or_(Announcement.audience == AnnouncementAudience.EVERYONE, kecamatan)


def _current(now: datetime) -> ColumnElement[bool]:
    return and_(
        Announcement.status == AnnouncementStatus.PUBLISHED,
        Announcement.publish_at <= now,
        or_(Announcement.expires_at.is_(None), Announcement.expires_at > now),
    )


async def current_public(
    session: AsyncSession,
    *,
    now: datetime,
    kecamatan_codes: Sequence[str],
    after: Key | None,
    limit: int,
) -> Sequence[Announcement]:
    query = select(Announcement).where(_current(now), _for_the_public(kecamatan_codes))
    if after is not None:
        query = query.where(FEED_ORDER.after(after))
    return (await session.scalars(query.order_by(*FEED_ORDER.order_by()).limit(limit))).all()


async def current_public_one(
    session: AsyncSession, *, announcement_id: uuid.UUID, now: datetime
) -> Announcement | None:
    return await session.scalar(
        select(Announcement).where(
            Announcement.id == announcement_id, _current(now), _for_the_public(())
        )
    )


async def feed_changed_at(
    session: AsyncSession, *, now: datetime, kecamatan_codes: Sequence[str]
) -> datetime | None:
    """The last moment up to ``now`` at which the public feed (for these codes) changed: an
    announcement of its audience published, edited, withdrawn or expired. Its
    ``Last-Modified``, computed instead of stored, so an expiry needs no write."""
    moments = (
        Announcement.publish_at,
        Announcement.updated_at,
        Announcement.withdrawn_at,
        Announcement.expires_at,
    )
    # GREATEST skips nulls: a moment still ahead is no change yet.
    passed = [case((moment <= now, moment)) for moment in moments]
    changed_at: datetime | None = await session.scalar(
        select(func.max(func.greatest(*passed))).where(
            Announcement.status != AnnouncementStatus.DRAFT, _for_the_public(kecamatan_codes)
        )
    )
    return changed_at


async def add_fan_out(
    session: AsyncSession, *, announcement_id: uuid.UUID, due_at: datetime
) -> None:
    session.add(FanOut(announcement_id=announcement_id, due_at=due_at, recipients=0))
    await session.flush()


async def fan_out_of(session: AsyncSession, *, announcement_id: uuid.UUID) -> FanOut | None:
    return await session.get(FanOut, announcement_id)


async def fan_outs_of(
    session: AsyncSession, *, announcement_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, FanOut]:
    found = await session.scalars(
        select(FanOut).where(FanOut.announcement_id.in_(announcement_ids))
    )
    return {fan_out.announcement_id: fan_out for fan_out in found}


async def next_due_fan_out(
    session: AsyncSession, *, now: datetime
) -> tuple[FanOut, Announcement] | None:
    """An unfinished fan-out of a published announcement due by ``now``, locked for this
    transaction; one another replica holds is skipped, so two never do the same chunk."""
    row = (
        await session.execute(
            select(FanOut, Announcement)
            .join(Announcement, Announcement.id == FanOut.announcement_id)
            .where(
                FanOut.completed_at.is_(None),
                FanOut.due_at <= now,
                Announcement.status == AnnouncementStatus.PUBLISHED,
            )
            .order_by(FanOut.due_at, FanOut.announcement_id)
            .limit(1)
            .with_for_update(of=FanOut, skip_locked=True),
            execution_options={"populate_existing": True},
        )
    ).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def advance_fan_out(
    session: AsyncSession,
    *,
    announcement_id: uuid.UUID,
    cursor: uuid.UUID | None,
    added: int,
    started_at: datetime,
    completed_at: datetime | None,
) -> FanOut:
    values: dict[str, Any] = {
        "cursor": cursor,
        "recipients": FanOut.recipients + added,
        "started_at": func.coalesce(FanOut.started_at, started_at),
        "completed_at": completed_at,
    }
    statement = (
        update(FanOut)
        .where(FanOut.announcement_id == announcement_id)
        .values(**values)
        .returning(FanOut)
    )
    return (await session.scalars(statement, execution_options={"populate_existing": True})).one()
