"""Queries on notices (the only module here that touches them)."""

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Uuid, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from information.notices.models import Notice, SubjectOwnerRow
from kota_shared.keyset import ListOrder, SortColumn
from kota_shared.pagination import Key

INBOX_ORDER = ListOrder(
    [SortColumn(Notice.created_at, descending=True), SortColumn(Notice.id, descending=True)]
)
"""Newest first."""
INBOX_KEY_TYPES = (datetime, uuid.UUID)


async def add_all(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[Notice]:
    """Insert the notices; those whose cause already gave their recipient their kind are
    skipped. The ones inserted, in no particular order.

    Rows alike but for their id and recipient (an announcement's chunk: one text for a
    thousand citizens) go in one ``INSERT ... SELECT`` over the two arrays, so the text
    travels and is parsed once per statement, not once per row."""
    alike: dict[str, tuple[dict[str, Any], list[uuid.UUID], list[uuid.UUID]]] = {}
    for row in rows:
        shared = {name: value for name, value in row.items() if name not in _PER_ROW}
        key = json.dumps(shared, sort_keys=True, default=str)
        _, ids, recipients = alike.setdefault(key, (shared, [], []))
        ids.append(row["id"])
        recipients.append(row["recipient_id"])
    inserted: list[Notice] = []
    for shared, ids, recipients in alike.values():
        each = (
            func.unnest(literal(ids, ARRAY(Uuid)), literal(recipients, ARRAY(Uuid)))
            .table_valued("id", "recipient_id")
            .render_derived(name="each_recipient")
        )
        columns = Notice.__table__.c
        source = select(
            each.c.id,
            each.c.recipient_id,
            *(literal(value, columns[name].type) for name, value in shared.items()),
        ).select_from(each)
        statement = (
            insert(Notice)
            .from_select(["id", "recipient_id", *shared], source)
            .on_conflict_do_nothing(index_elements=["source_id", "recipient_id", "kind"])
            .returning(Notice)
        )
        inserted += await session.scalars(statement)
    return inserted


_PER_ROW = frozenset({"id", "recipient_id"})


async def inbox(
    session: AsyncSession,
    *,
    recipient_id: uuid.UUID,
    unread_only: bool,
    archived: bool,
    after: Key | None,
    limit: int,
) -> Sequence[Notice]:
    query = select(Notice).where(Notice.recipient_id == recipient_id)
    query = query.where(
        Notice.archived_at.is_not(None) if archived else Notice.archived_at.is_(None)
    )
    if unread_only:
        query = query.where(Notice.read_at.is_(None))
    if after is not None:
        query = query.where(INBOX_ORDER.after(after))
    return (await session.scalars(query.order_by(*INBOX_ORDER.order_by()).limit(limit))).all()


async def unread_count(session: AsyncSession, *, recipient_id: uuid.UUID) -> int:
    query = select(func.count()).where(
        Notice.recipient_id == recipient_id,
        Notice.read_at.is_(None),
        Notice.archived_at.is_(None),
    )
    return int(await session.scalar(query) or 0)


async def get_for(
    session: AsyncSession, *, notice_id: uuid.UUID, recipient_id: uuid.UUID
) -> Notice | None:
    """The notice if it is the recipient's own: another's is as absent as a missing one."""
    return await session.scalar(
        select(Notice).where(Notice.id == notice_id, Notice.recipient_id == recipient_id)
    )


async def mark(
    session: AsyncSession,
    *,
    notice: Notice,
    read_at: datetime | None = None,
    archived_at: datetime | None = None,
) -> Notice:
    """Set the first read or archive time; a later call keeps the first."""
    values: dict[str, Any] = {}
    if read_at is not None:
        values["read_at"] = func.coalesce(Notice.read_at, read_at)
    if archived_at is not None:
        values["archived_at"] = func.coalesce(Notice.archived_at, archived_at)
    statement = update(Notice).where(Notice.id == notice.id).values(**values).returning(Notice)
    return (await session.scalars(statement, execution_options={"populate_existing": True})).one()


async def record_owner(session: AsyncSession, *, subject_ref: str, account_id: uuid.UUID) -> None:
    """Remember whose subject this is; the first event naming them is kept."""
    await session.execute(
        insert(SubjectOwnerRow)
        .values(subject_ref=subject_ref, account_id=account_id)
        .on_conflict_do_nothing(index_elements=[SubjectOwnerRow.subject_ref])
    )


async def owner_of(session: AsyncSession, *, subject_ref: str) -> uuid.UUID | None:
    return await session.scalar(
        select(SubjectOwnerRow.account_id).where(SubjectOwnerRow.subject_ref == subject_ref)
    )
