"""Queries on the letters a kiosk prints: a citizen's notices, each with its hand-over if it
had one (the only module here that touches hand-overs)."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from information.directory.models import AccountKind, DirectoryEntry
from information.kiosk.models import Handover
from information.notices.kinds import NoticeKind, channels_of
from information.notices.models import Notice
from information.notices.repository import INBOX_KEY_TYPES, INBOX_ORDER
from kota_shared.pagination import Key

LETTER_KINDS = sorted(kind.value for kind in NoticeKind if "letter" in channels_of(kind))
"""The kinds a letter template exists for: every notice a citizen receives (officers'
alerts have none)."""
LETTER_ORDER = INBOX_ORDER
"""Newest first, as the citizen's inbox."""
LETTER_KEY_TYPES = INBOX_KEY_TYPES
WAITING_KEY_TYPES = (datetime, uuid.UUID)


@dataclass(frozen=True)
class Letter:
    """A notice as a kiosk sees it: printable, and handed over or not."""

    notice: Notice
    handover: Handover | None

    @property
    def pending(self) -> bool:
        """Not handed over, and not read in the app either (the citizen may have one)."""
        return self.handover is None and self.notice.read_at is None

    @property
    def key(self) -> Key:
        return LETTER_ORDER.key(self.notice)


@dataclass(frozen=True)
class WaitingCitizen:
    account_id: uuid.UUID
    pending: int
    oldest_pending_at: datetime


def _pending() -> ColumnElement[bool]:
    # archived_at too: archiving marks a notice read, and the condition then matches the
    # partial index of unread notices.
    return and_(
        Notice.read_at.is_(None), Notice.archived_at.is_(None), Handover.notice_id.is_(None)
    )


def _letters_of(citizen_id: uuid.UUID) -> Select[Notice, Handover]:
    return (
        select(Notice, Handover)
        .outerjoin(Handover, Handover.notice_id == Notice.id)
        .where(Notice.recipient_id == citizen_id, Notice.kind.in_(LETTER_KINDS))
    )


async def letters(
    session: AsyncSession,
    *,
    citizen_id: uuid.UUID,
    pending_only: bool,
    after: Key | None,
    limit: int,
) -> list[Letter]:
    query = _letters_of(citizen_id)
    if pending_only:
        query = query.where(_pending())
    if after is not None:
        query = query.where(LETTER_ORDER.after(after))
    rows = await session.execute(query.order_by(*LETTER_ORDER.order_by()).limit(limit))
    return [Letter(notice, handover) for notice, handover in rows]


async def oldest_pending(
    session: AsyncSession, *, citizen_id: uuid.UUID, limit: int
) -> list[Letter]:
    """The citizen's pending letters in the order they arrived, for one printed batch."""
    query = (
        _letters_of(citizen_id)
        .where(_pending())
        .order_by(Notice.created_at, Notice.id)
        .limit(limit)
    )
    return [Letter(notice, handover) for notice, handover in (await session.execute(query))]


async def letters_by_id(
    session: AsyncSession, *, citizen_id: uuid.UUID, notice_ids: Sequence[uuid.UUID]
) -> list[Letter]:
    """The citizen's letters among ``notice_ids`` (another account's are left out), in the
    order asked."""
    rows = await session.execute(_letters_of(citizen_id).where(Notice.id.in_(notice_ids)))
    found = {notice.id: Letter(notice, handover) for notice, handover in rows}
    return [found[notice_id] for notice_id in notice_ids if notice_id in found]


async def record_handovers(
    session: AsyncSession, *, notice_ids: Sequence[uuid.UUID], officer_id: uuid.UUID, at: datetime
) -> None:
    """Record each notice handed over by ``officer_id`` at ``at``, unless it already was:
    the first hand-over stands, even against a concurrent one."""
    statement = insert(Handover).values(
        [
            {"notice_id": notice_id, "handed_over_by": officer_id, "handed_over_at": at}
            for notice_id in notice_ids
        ]
    )
    await session.execute(statement.on_conflict_do_nothing(index_elements=[Handover.notice_id]))


async def waiting_citizens(
    session: AsyncSession, *, after: Key | None, limit: int
) -> list[WaitingCitizen]:
    """Citizens registered at a kiosk with letters pending, who has waited longest first."""
    oldest = func.min(Notice.created_at)
    query = (
        select(DirectoryEntry.account_id, func.count(), oldest)
        .join(Notice, Notice.recipient_id == DirectoryEntry.account_id)
        .outerjoin(Handover, Handover.notice_id == Notice.id)
        .where(
            DirectoryEntry.kind == AccountKind.CITIZEN,
            DirectoryEntry.registered_at_kiosk,
            Notice.kind.in_(LETTER_KINDS),
            _pending(),
        )
        .group_by(DirectoryEntry.account_id)
    )
    if after is not None:
        query = query.having(tuple_(oldest, DirectoryEntry.account_id) > tuple_(*after))
    rows = await session.execute(query.order_by(oldest, DirectoryEntry.account_id).limit(limit))
    return [
        WaitingCitizen(account_id=account_id, pending=count, oldest_pending_at=oldest_at)
        for account_id, count, oldest_at in rows
    ]
