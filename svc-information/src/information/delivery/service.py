"""A notice's messages: planned by the citizen's preferences, taken through their statuses
by the dispatcher and the providers' receipts, and handed on to the next channel when one
does not deliver.

Every function runs in the caller's transaction and never commits; the dispatcher decides
where each transaction ends (see `dispatcher`), the receipts endpoint commits one per
webhook.
"""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from information.delivery import metrics, repository
from information.delivery.limits import Decision, NumberLimits, TokenBucket, Verdict
from information.delivery.models import Message
from information.delivery.providers import Accepted, InDoubt, Receipt, Refused, SendFailed
from information.delivery.quiet_hours import quiet_until
from information.delivery.retries import RetryPolicy
from information.delivery.statuses import UNDELIVERED, MessageStatus, after_receipt
from information.notices.kinds import NoticeKind, NoticeParams, channels_of
from information.notices.models import Notice
from information.preferences.models import (
    DEFAULT_CHANNELS,
    DEFAULT_QUIET_HOURS,
    Channel,
    Preference,
)
from kota_shared.transaction import Transaction

_log = logging.getLogger(__name__)

IDENTICAL_LIMIT = "identical_limit"
NUMBER_LIMIT = "number_limit"
NO_RECEIPT = "no_receipt"
QUIET_HOURS = "quiet_hours"


async def plan(tx: Transaction, *, notices: Sequence[Notice]) -> int:
    """Plan each new notice's first message, by the first of its recipient's channels that
    its kind is written for; the others follow only if that one does not deliver. A
    recipient who wants the inbox only gets none. How many were planned."""
    if not notices:
        return 0
    chosen = await repository.preferences(
        tx.session, account_ids={notice.recipient_id for notice in notices}
    )
    rows = []
    for notice in notices:
        preference = chosen.get(notice.recipient_id)
        wanted = [Channel(c) for c in preference.channels] if preference else DEFAULT_CHANNELS
        written = set(channels_of(NoticeKind(notice.kind)))
        channels = [channel for channel in wanted if channel.value in written]
        if not channels:
            continue
        first, *rest = channels
        rows.append(
            _new_message(
                tx,
                notice_id=notice.id,
                recipient_id=notice.recipient_id,
                channel=first,
                fallback_channels=[channel.value for channel in rest],
                language=preference.language if preference else "id",
                urgent=notice.urgent,
            )
        )
    return await _add(tx, rows)


def _new_message(tx: Transaction, **values: Any) -> dict[str, Any]:
    return {
        **values,
        "status": MessageStatus.CREATED,
        "due_at": tx.now,
        "attempts": 0,
        "created_at": tx.now,
        "status_changed_at": tx.now,
    }


async def _add(tx: Transaction, rows: Sequence[dict[str, Any]]) -> int:
    added = await repository.add(tx.session, rows)
    for channel in added:
        metrics.entered(channel, MessageStatus.CREATED)
    return len(added)


@dataclass(frozen=True)
class Send:
    """A claimed message with what its send needs: the notice it carries."""

    message_id: uuid.UUID
    notice_id: uuid.UUID
    recipient_id: uuid.UUID
    channel: Channel
    language: str
    attempts: int
    first_attempted_at: datetime | None
    kind: str
    params: NoticeParams
    template_version: int


async def claim(
    tx: Transaction,
    *,
    limit: int,
    lease: timedelta,
    token: uuid.UUID,
    timezone: ZoneInfo,
) -> list[Send]:
    """Claim the messages due for a send; those that may not be sent yet because their
    citizen is in quiet hours (and they can wait) are given back, due when quiet ends."""
    claimed = await repository.claim_due(
        tx.session, now=tx.now, limit=limit, lease_until=tx.now + lease, token=token
    )
    if not claimed:
        return []
    quiet = await repository.preferences(
        tx.session, account_ids={message.recipient_id for message in claimed}
    )
    notices = await repository.notices(
        tx.session, notice_ids={message.notice_id for message in claimed}
    )
    sends = []
    for message in claimed:
        ends = (
            None
            if message.urgent
            else _quiet_end(quiet.get(message.recipient_id), tx.now, timezone)
        )
        if ends is not None:
            await repository.hold(
                tx.session, message_id=message.id, token=token, until=ends, error_code=QUIET_HOURS
            )
            continue
        notice = notices[message.notice_id]
        sends.append(
            Send(
                message_id=message.id,
                notice_id=message.notice_id,
                recipient_id=message.recipient_id,
                channel=message.channel,
                language=message.language,
                attempts=message.attempts,
                first_attempted_at=message.first_attempted_at,
                kind=notice.kind,
                params=notice.params,
                template_version=notice.template_version,
            )
        )
    return sends


def _quiet_end(preference: Preference | None, now: datetime, timezone: ZoneInfo) -> datetime | None:
    start, end = (
        (preference.quiet_from, preference.quiet_until) if preference else DEFAULT_QUIET_HOURS
    )
    return quiet_until(now, quiet_from=start, quiet_until=end, timezone=timezone)


async def hold(
    tx: Transaction, *, send: Send, token: uuid.UUID, until: datetime, error_code: str | None = None
) -> None:
    """Give a claimed message back, to be sent at ``until``."""
    await repository.hold(
        tx.session, message_id=send.message_id, token=token, until=until, error_code=error_code
    )


async def drop(tx: Transaction, *, send: Send, token: uuid.UUID) -> None:
    """Its citizen has no phone number (or identity no longer knows them): the inbox only."""
    if await repository.drop(tx.session, message_id=send.message_id, token=token):
        metrics.SKIPPED.labels(send.channel, "no_phone").inc()


async def refuse(tx: Transaction, *, send: Send, token: uuid.UUID, error_code: str) -> None:
    """Never to be sent by its channel (no template for it, no provider for the channel):
    a permanent failure, and the next channel is tried."""
    message = await repository.refuse_claimed(
        tx.session, message_id=send.message_id, token=token, error_code=error_code, now=tx.now
    )
    if message is not None:
        metrics.entered(message.channel, message.status)
        await fall_back(tx, message=message)


async def reserve(
    tx: Transaction,
    *,
    send: Send,
    token: uuid.UUID,
    number_hash: str,
    content_hash: str,
    limits: NumberLimits,
    receipt_wait: timedelta,
) -> Decision | None:
    """Decide, under the number's lock, whether the send may go now; if so mark it as
    handed over (so it is never sent twice) and counted against the number. None if the
    claim was lost meanwhile (another dispatcher took the message over)."""
    await repository.lock_number(tx.session, number_hash=number_hash)
    since = tx.now - limits.window
    sent = await repository.sends_to(
        tx.session,
        number_hash=number_hash,
        since=since,
        limit=limits.per_hour,
        other_than=send.message_id,
    )
    identical = await repository.sends_to(
        tx.session,
        number_hash=number_hash,
        content_hash=content_hash,
        since=since,
        limit=limits.identical_per_hour,
        other_than=send.message_id,
    )
    decision = limits.decide(sent=sent, identical=identical)
    if decision.verdict is Verdict.REFUSE:
        message = await repository.refuse_claimed(
            tx.session,
            message_id=send.message_id,
            token=token,
            error_code=IDENTICAL_LIMIT,
            now=tx.now,
        )
        if message is None:
            return None
        metrics.entered(message.channel, message.status)
        # Not handed on: the next channel reaches the same number with the same news.
        message.fell_back_at = tx.now
        return decision
    if decision.verdict is Verdict.DEFER:
        assert decision.until is not None
        held = await repository.hold(
            tx.session,
            message_id=send.message_id,
            token=token,
            until=decision.until,
            error_code=NUMBER_LIMIT,
        )
        return decision if held else None
    started = await repository.start_sending(
        tx.session,
        message_id=send.message_id,
        token=token,
        now=tx.now,
        receipt_due_at=tx.now + receipt_wait,
        number_hash=number_hash,
        content_hash=content_hash,
        template_version=send.template_version,
    )
    if not started:
        return None
    metrics.entered(send.channel, MessageStatus.SENDING)
    return decision


async def sent(tx: Transaction, *, send: Send, accepted: Accepted) -> None:
    await repository.name_sent(
        tx.session,
        message_id=send.message_id,
        provider_message_id=accepted.provider_message_id,
        segments=accepted.segments,
    )


async def not_sent(
    tx: Transaction, *, send: Send, failure: SendFailed, retries: RetryPolicy
) -> None:
    """What the provider's failure to take a send leaves: a permanent failure (handed on),
    a technical one (tried again, or handed on once the channel's time is up), or, if it
    may have arrived, a send waiting for its receipt."""
    if isinstance(failure, InDoubt):
        _log.warning(
            "%s message %s may have been sent (%s): waiting for its receipt",
            send.channel,
            send.message_id,
            failure.code,
        )
        await repository.in_doubt(tx.session, message_id=send.message_id, error_code=failure.code)
        return
    retry_at = None
    if isinstance(failure, Refused):
        status = MessageStatus.PERMANENT_FAILURE
    else:
        status = MessageStatus.TECHNICAL_FAILURE
        retry_at = retries.next_try(
            now=tx.now,
            attempts=send.attempts + 1,
            first_attempted_at=send.first_attempted_at or tx.now,
        )
    message = await repository.not_taken(
        tx.session,
        message_id=send.message_id,
        status=status,
        error_code=failure.code,
        now=tx.now,
        retry_at=retry_at,
    )
    if message is None:
        return  # a receipt spoke for it first: the provider had taken it after all
    metrics.entered(message.channel, message.status)
    if retry_at is None:
        await fall_back(tx, message=message)


async def give_up_waiting(tx: Transaction, *, limit: int) -> int:
    """Messages whose receipt did not come in time: a temporary failure (a late receipt
    may still say otherwise), and the next channel is tried. How many."""
    overdue = await repository.overdue_receipts(tx.session, now=tx.now, limit=limit)
    for message in overdue:
        _change(message, MessageStatus.TEMPORARY_FAILURE, now=tx.now, error_code=NO_RECEIPT)
        await fall_back(tx, message=message)
    return len(overdue)


async def fall_back(tx: Transaction, *, message: Message) -> bool:
    """Try the citizen's next channel for ``message``'s notice, once per message: not if
    there is none, or if the citizen has read the notice in the inbox meanwhile. True if a
    message was planned."""
    if message.fell_back_at is not None:
        return False
    message.fell_back_at = tx.now
    if not message.fallback_channels:
        return False
    if await repository.notice_read(tx.session, notice_id=message.notice_id):
        return False
    following, *rest = message.fallback_channels
    planned = _new_message(
        tx,
        notice_id=message.notice_id,
        recipient_id=message.recipient_id,
        channel=Channel(following),
        fallback_channels=rest,
        language=message.language,
        urgent=message.urgent,
    )
    return await _add(tx, [planned]) == 1


def _change(
    message: Message, status: MessageStatus, *, now: datetime, error_code: str | None
) -> None:
    message.status = status
    message.status_changed_at = now
    message.error_code = error_code
    # Delivered, read or failed: nothing left to wait for. Sending again (a receipt for a
    # send whose retry was pending): wait for its next receipt from now on.
    message.due_at = None if status is not MessageStatus.SENDING else message.due_at
    message.claim_token = None
    metrics.entered(message.channel, status)


@dataclass(frozen=True)
class ReceiptsApplied:
    applied: int
    unchanged: int
    unknown: int


async def receive(
    tx: Transaction, *, channel: Channel, receipts: Sequence[Receipt], receipt_wait: timedelta
) -> ReceiptsApplied:
    """Apply a provider's receipts: each moves its message forward only (a repeat, a late
    or an out-of-order receipt changes nothing), and one that says it was not delivered
    hands the notice on to the next channel."""
    applied = unchanged = unknown = 0
    for receipt in receipts:
        message = await repository.for_receipt(
            tx.session,
            channel=channel,
            provider_message_id=receipt.provider_message_id,
            reference=_message_id(receipt.reference),
        )
        if message is None:
            _log.warning(
                "a %s receipt for a message we do not know: %s",
                channel,
                receipt.provider_message_id,
            )
            unknown += 1
            continue
        if message.provider_message_id is None:
            message.provider_message_id = receipt.provider_message_id
        status = after_receipt(message.status, receipt.status)
        if status is None:
            unchanged += 1
            continue
        applied += 1
        if status is MessageStatus.SENDING:  # a retry was pending, yet the first try arrived
            message.due_at = tx.now + receipt_wait
        _change(message, status, now=tx.now, error_code=receipt.error_code)
        if status in UNDELIVERED:
            await fall_back(tx, message=message)
    return ReceiptsApplied(applied=applied, unchanged=unchanged, unknown=unknown)


def _message_id(reference: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(reference) if reference else None
    except ValueError:
        return None  # not one of ours


async def take_tokens(
    tx: Transaction, *, channel: Channel, bucket: TokenBucket, wanted: int
) -> tuple[int, float]:
    """Up to ``wanted`` sends' worth of the provider's rate, and how long until more."""
    tokens, elapsed = await repository.lock_bucket(tx.session, channel=channel, burst=bucket.burst)
    taken = bucket.take(tokens=tokens, elapsed_seconds=elapsed, wanted=wanted)
    await repository.save_bucket(tx.session, channel=channel, tokens=taken.left)
    return taken.granted, taken.wait_seconds


async def queue_depth(tx: Transaction) -> list[tuple[str, str, int]]:
    return await repository.queue_depth(tx.session, now=tx.now)
