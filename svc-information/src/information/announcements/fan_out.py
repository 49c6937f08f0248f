"""An announcement's way into its audience's inboxes: chunked, resumable, at most once each.

A periodic task (`run`) takes the oldest fan-out that is due (its announcement published and
its publication time come, by the service's clock) and fills it one chunk at a time, each
chunk one transaction: the chunk's citizens, in account id order after the fan-out's
``cursor``, get their notices (`notices.service.record`, source ``announcement:<id>``, so
the delivery dispatcher plans their messages in that same transaction), and the cursor moves
to the chunk's last citizen. A crash loses only the chunk in flight, uncommitted: the next
run starts after the last committed cursor, and the notices' unique key (cause, recipient,
kind) turns any overlap into nothing. Memory holds one chunk's ids, whatever the audience.

The fan-out row is locked ``SKIP LOCKED`` for the chunk, so replicas share the work
without doing a chunk twice. A withdrawn announcement's fan-out stops at its next chunk.
"""

import dataclasses
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from information.announcements import repository
from information.announcements.models import Announcement, FanOut
from information.config import InformationSettings
from information.directory import repository as directory
from information.notices import drafts
from information.notices import service as notices
from information.notices.drafts import CitizenRecipient, NoticeDraft, OfficersRecipient
from kota_contracts.access import Role
from kota_contracts.information import (
    AnnouncementAudience,
    AnnouncementCategory,
    AnnouncementFannedOut,
)
from kota_shared.app import Extension, ServiceRuntime
from kota_shared.clock import Clock
from kota_shared.events.outbox import Outbox
from kota_shared.periodic import every
from kota_shared.transaction import Transaction

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FanOutWork:
    """What a fan-out run needs: the service's database, outbox, clock and settings."""

    sessionmaker: async_sessionmaker[AsyncSession]
    outbox: Outbox
    clock: Clock
    settings: InformationSettings


TASK_NAME = "announcement-fan-out"


def extension(settings: InformationSettings) -> Extension:
    """Runs the fan-out under the service's supervisor, every
    ``INFORMATION_ANNOUNCEMENT_FAN_OUT_POLL_SECONDS``."""

    @asynccontextmanager
    async def fan_out_task(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        assert runtime.outbox is not None  # information publishes events
        work = FanOutWork(
            sessionmaker=runtime.sessionmaker,
            outbox=runtime.outbox,
            clock=runtime.clock,
            settings=settings,
        )
        runtime.supervisor.start(
            TASK_NAME, every(settings.announcement_fan_out_poll_seconds, partial(run, work))
        )
        yield

    return fan_out_task


def source_of(announcement: Announcement) -> str:
    """The notices' cause: one per announcement, so a recipient holds it once."""
    return drafts.announcement(announcement.id)


def draft_of(announcement: Announcement) -> NoticeDraft:
    """The announcement's notice, drafted once per chunk; each recipient gets a copy with
    only the recipient changed. English falls back to the Indonesian where none was written."""
    # As the feed does (`schemas.texts_in`): English only where both title and body have it.
    if announcement.title_en and announcement.body_en:
        title_en, body_en = announcement.title_en, announcement.body_en
    else:
        title_en, body_en = announcement.title_id, announcement.body_id
    return drafts.announcement_draft(
        announcement_id=announcement.id,
        title_id=announcement.title_id,
        body_id=announcement.body_id,
        title_en=title_en,
        body_en=body_en,
        recipient=OfficersRecipient(frozenset(Role(role) for role in announcement.roles)),
        urgent=announcement.category is AnnouncementCategory.EMERGENCY,
    )


async def run(work: FanOutWork) -> int:
    """Fill every due fan-out, chunk after chunk, until none is left; how many chunks."""
    chunks = 0
    while await fill_one_chunk(work):
        chunks += 1
    return chunks


async def fill_one_chunk(work: FanOutWork) -> bool:
    """One chunk of the oldest due fan-out, in one transaction; False when none is due."""
    async with work.sessionmaker() as session, session.begin():
        tx = Transaction.begin(
            session, outbox=work.outbox, clock=work.clock, settings=work.settings
        )
        due = await repository.next_due_fan_out(session, now=tx.now)
        if due is None:
            return False
        fan_out, announcement = due
        await _fill(
            tx,
            fan_out,
            announcement,
            chunk=work.settings.announcement_fan_out_chunk,
            timezone=work.settings.timezone,
        )
        return True


async def _fill(
    tx: Transaction,
    fan_out: FanOut,
    announcement: Announcement,
    *,
    chunk: int,
    timezone: ZoneInfo,
) -> None:
    draft = draft_of(announcement)
    if announcement.audience is AnnouncementAudience.OFFICERS:
        # Staff are a few hundred, not a million: one transaction reaches them all.
        created = await notices.record(
            tx, [draft], source_id=source_of(announcement), timezone=timezone
        )
        cursor, finished = fan_out.cursor, True
    else:
        audience = await directory.citizens_after(
            tx.session,
            kecamatan_codes=announcement.kecamatan_codes
            if announcement.audience is AnnouncementAudience.KECAMATAN
            else None,
            after=fan_out.cursor,
            limit=chunk,
        )
        created = await notices.record(
            tx,
            [
                dataclasses.replace(draft, recipient=CitizenRecipient(citizen))
                for citizen in audience
            ],
            source_id=source_of(announcement),
            timezone=timezone,
        )
        cursor = audience[-1] if audience else fan_out.cursor
        finished = len(audience) < chunk
    progress = await repository.advance_fan_out(
        tx.session,
        announcement_id=announcement.id,
        cursor=cursor,
        added=len(created),
        started_at=tx.now,
        completed_at=tx.now if finished else None,
    )
    if finished:
        assert progress.started_at is not None  # set by the first chunk, this one at latest
        await tx.outbox.add(
            tx.session,
            AnnouncementFannedOut(
                announcement_id=announcement.id,
                recipients=progress.recipients,
                started_at=progress.started_at,
                completed_at=tx.now,
            ),
            subject=str(announcement.id),
        )
        _log.info("announcement %s reached %d inboxes", announcement.id, progress.recipients)
