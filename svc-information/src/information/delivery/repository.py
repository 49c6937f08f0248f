"""Queries on messages and the providers' token buckets (the only module with SQL for them).

The dispatcher's updates are guarded: a claimed message is changed only while the claim is
still its own (``claim_token``), and the outcome of a send only while no receipt has spoken
for it first, so two dispatchers, a restarted one and a racing receipt never undo each
other.
"""

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, literal_column, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from information.delivery.models import Message, SendRate
from information.delivery.statuses import MessageStatus
from information.notices.models import Notice
from information.preferences.models import Channel, Preference

SENDABLE = (MessageStatus.CREATED, MessageStatus.TECHNICAL_FAILURE)
"""What the dispatcher sends when due: new, deferred, or to be tried again."""
NUMBER_LOCKS = 0x1A70
"""The advisory-lock namespace of the per-number limits (the key is the number's hash)."""


async def add(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> list[Channel]:
    """Insert messages, each unless its notice already has one on its channel; the
    channels of those inserted."""
    if not rows:
        return []
    # Many rows as one executemany: SQLAlchemy batches them into multi-row INSERTs of a
    # statement it compiles once (insertmanyvalues), where a `.values([...])` of a
    # thousand rows is compiled anew for each chunk of an announcement's fan-out.
    statement = (
        insert(Message)
        .on_conflict_do_nothing(index_elements=["notice_id", "channel"])
        .returning(Message.channel)
    )
    return list(await session.scalars(statement, list(rows)))


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, lease_until: datetime, token: uuid.UUID
) -> Sequence[Message]:
    """Hold up to ``limit`` messages due for a send until ``lease_until`` for the dispatcher
    holding ``token``, soonest due first, skipping those another dispatcher is claiming."""
    due = (
        select(Message.id)
        .where(Message.status.in_(SENDABLE), Message.due_at <= now)
        .order_by(Message.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(Message)
        .where(Message.id.in_(due.scalar_subquery()))
        .values(due_at=lease_until, claim_token=token)
        .returning(Message)
    )
    result = await session.scalars(statement, execution_options={"populate_existing": True})
    return result.all()


async def notices(
    session: AsyncSession, *, notice_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Notice]:
    found = await session.scalars(select(Notice).where(Notice.id.in_(notice_ids)))
    return {notice.id: notice for notice in found}


async def preferences(
    session: AsyncSession, *, account_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Preference]:
    found = await session.scalars(select(Preference).where(Preference.account_id.in_(account_ids)))
    return {preference.account_id: preference for preference in found}


async def hold(
    session: AsyncSession,
    *,
    message_id: uuid.UUID,
    token: uuid.UUID,
    until: datetime,
    error_code: str | None = None,
) -> bool:
    """Give a claimed message back, due again at ``until``."""
    values: dict[str, Any] = {"due_at": until, "claim_token": None}
    if error_code is not None:
        values["error_code"] = error_code
    result = await session.execute(
        update(Message)
        .where(Message.id == message_id, Message.claim_token == token)
        .values(**values)
        .returning(Message.id)
    )
    return result.scalar_one_or_none() is not None


async def drop(session: AsyncSession, *, message_id: uuid.UUID, token: uuid.UUID) -> bool:
    """Delete a claimed message that is never to be sent (its citizen has no phone)."""
    result = await session.execute(
        delete(Message)
        .where(Message.id == message_id, Message.claim_token == token)
        .returning(Message.id)
    )
    return result.scalar_one_or_none() is not None


async def lock_number(session: AsyncSession, *, number_hash: str) -> None:
    """Serialise the sends to one number across every dispatcher until the transaction
    ends, so that each counts the others' before deciding."""
    await session.execute(
        select(func.pg_advisory_xact_lock(NUMBER_LOCKS, func.hashtext(number_hash)))
    )


async def sends_to(
    session: AsyncSession,
    *,
    number_hash: str,
    since: datetime,
    limit: int,
    content_hash: str | None = None,
    other_than: uuid.UUID,
) -> list[datetime]:
    """When the newest ``limit`` sends to the number since ``since`` were handed over
    (those with ``content_hash`` only, if given), newest first."""
    query = select(Message.sent_at).where(
        Message.number_hash == number_hash,
        Message.sent_at > since,
        Message.id != other_than,
    )
    if content_hash is not None:
        query = query.where(Message.content_hash == content_hash)
    sent = await session.scalars(query.order_by(Message.sent_at.desc()).limit(limit))
    return [moment for moment in sent if moment is not None]


async def start_sending(
    session: AsyncSession,
    *,
    message_id: uuid.UUID,
    token: uuid.UUID,
    now: datetime,
    receipt_due_at: datetime,
    number_hash: str,
    content_hash: str,
    template_version: int,
) -> bool:
    """Mark a claimed message as handed over (before it is: never twice) and count it
    against its number; False if the claim is no longer ours."""
    result = await session.execute(
        update(Message)
        .where(
            Message.id == message_id,
            Message.claim_token == token,
            Message.status.in_(SENDABLE),
        )
        .values(
            status=MessageStatus.SENDING,
            attempts=Message.attempts + 1,
            first_attempted_at=func.coalesce(Message.first_attempted_at, now),
            sent_at=now,
            due_at=receipt_due_at,
            claim_token=None,
            number_hash=number_hash,
            content_hash=content_hash,
            template_version=template_version,
            error_code=None,
            status_changed_at=now,
        )
        .returning(Message.id)
    )
    return result.scalar_one_or_none() is not None


def _unanswered(message_id: uuid.UUID) -> Any:
    """Still as the send left it: no receipt has spoken for it meanwhile."""
    return and_(
        Message.id == message_id,
        Message.status == MessageStatus.SENDING,
        Message.provider_message_id.is_(None),
    )


async def name_sent(
    session: AsyncSession, *, message_id: uuid.UUID, provider_message_id: str, segments: int | None
) -> None:
    """The provider took it under ``provider_message_id``; a receipt that came first may
    have named it already, and moved its status on."""
    await session.execute(
        update(Message)
        .where(Message.id == message_id)
        .values(provider_message_id=provider_message_id, segments=segments)
    )


async def not_taken(
    session: AsyncSession,
    *,
    message_id: uuid.UUID,
    status: MessageStatus,
    error_code: str,
    now: datetime,
    retry_at: datetime | None,
) -> Message | None:
    """The provider did not take the send: ``status`` (a failure), tried again at
    ``retry_at`` or not at all, and no longer counted against the number; None if a
    receipt has spoken for it meanwhile."""
    result = await session.scalars(
        update(Message)
        .where(_unanswered(message_id))
        .values(
            status=status,
            error_code=error_code,
            due_at=retry_at,
            sent_at=None,
            status_changed_at=now,
        )
        .returning(Message),
        execution_options={"populate_existing": True},
    )
    return result.one_or_none()


async def in_doubt(session: AsyncSession, *, message_id: uuid.UUID, error_code: str) -> None:
    """The send may have arrived: it waits as sent, for its receipt or its deadline."""
    await session.execute(
        update(Message).where(_unanswered(message_id)).values(error_code=error_code)
    )


async def refuse_claimed(
    session: AsyncSession,
    *,
    message_id: uuid.UUID,
    token: uuid.UUID,
    error_code: str,
    now: datetime,
) -> Message | None:
    """A claimed message that is not to be sent by its channel, ever (no template for it,
    no provider, over the identical-message limit): a permanent failure."""
    result = await session.scalars(
        update(Message)
        .where(Message.id == message_id, Message.claim_token == token)
        .values(
            status=MessageStatus.PERMANENT_FAILURE,
            error_code=error_code,
            due_at=None,
            claim_token=None,
            status_changed_at=now,
        )
        .returning(Message),
        execution_options={"populate_existing": True},
    )
    return result.one_or_none()


async def overdue_receipts(
    session: AsyncSession, *, now: datetime, limit: int
) -> Sequence[Message]:
    """Sent messages whose receipt did not come in time, locked, skipping those another
    dispatcher holds."""
    result = await session.scalars(
        select(Message)
        .where(Message.status == MessageStatus.SENDING, Message.due_at <= now)
        .order_by(Message.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return result.all()


async def for_receipt(
    session: AsyncSession,
    *,
    channel: Channel,
    provider_message_id: str,
    reference: uuid.UUID | None,
) -> Message | None:
    """The message a receipt is about, locked: by the provider's id, or by our own id as
    the send's reference (when the answer naming the provider's id was lost)."""
    found = await session.scalar(
        select(Message)
        .where(Message.channel == channel, Message.provider_message_id == provider_message_id)
        .with_for_update()
    )
    if found is None and reference is not None:
        found = await session.scalar(
            select(Message)
            .where(Message.channel == channel, Message.id == reference)
            .with_for_update()
        )
    return found


async def notice_read(session: AsyncSession, *, notice_id: uuid.UUID) -> bool:
    read_at = await session.scalar(select(Notice.read_at).where(Notice.id == notice_id))
    return read_at is not None


async def of_notice(session: AsyncSession, *, notice_id: uuid.UUID) -> Sequence[Message]:
    """A notice's messages, in the order they were tried."""
    result = await session.scalars(
        select(Message)
        .where(Message.notice_id == notice_id)
        .order_by(Message.created_at, Message.id)
    )
    return result.all()


async def lock_bucket(session: AsyncSession, *, channel: str, burst: float) -> tuple[float, float]:
    """A provider's token bucket, locked (a full one the first time): its tokens and the
    seconds since it was last refilled, on the database's clock."""
    await session.execute(
        insert(SendRate)
        .values(channel=channel, tokens=burst, refilled_at=func.clock_timestamp())
        .on_conflict_do_nothing(index_elements=["channel"])
    )
    elapsed = func.extract("epoch", func.clock_timestamp() - SendRate.refilled_at)
    row = (
        await session.execute(
            select(SendRate.tokens, elapsed).where(SendRate.channel == channel).with_for_update()
        )
    ).one()
    return float(row[0]), float(row[1])


async def save_bucket(session: AsyncSession, *, channel: str, tokens: float) -> None:
    await session.execute(
        update(SendRate)
        .where(SendRate.channel == channel)
        .values(tokens=tokens, refilled_at=func.clock_timestamp())
    )


async def queue_depth(session: AsyncSession, *, now: datetime) -> list[tuple[str, str, int]]:
    """``(channel, state, count)`` of the messages the dispatchers still hold."""
    state = case(
        (Message.status == MessageStatus.SENDING, literal_column("'awaiting_receipt'")),
        (Message.due_at <= now, literal_column("'due'")),
        else_=literal_column("'deferred'"),
    )
    rows = await session.execute(
        select(Message.channel, state, func.count())
        .where(Message.due_at.is_not(None))
        .group_by(Message.channel, state)
    )
    return [(str(channel), str(kind), int(count)) for channel, kind, count in rows.all()]
