"""The inbox: each account's notices, newest first; read and archived by their recipient."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from information.dependencies import Person, account_id
from information.notices import repository
from information.notices.dependencies import OwnNotice, ReadingLanguage
from information.notices.schemas import NoticeRead, UnreadCount
from kota_shared.db import DbSession
from kota_shared.pagination import PAGINATION_DESCRIPTION, Page
from kota_shared.transaction import CurrentTransaction

router = APIRouter(prefix="/v1/information/notices", tags=["information"])

WHO = (
    "Who may call: anyone signed in, about their own notices (a citizen; an officer at a "
    "kiosk with the citizen's token; an officer for their alerts). Another account's notice "
    "is answered 404."
)


@router.get(
    "",
    summary="Your notices, newest first",
    description=WHO + " Titles and bodies in the caller's Accept-Language (Indonesian "
    "first). `unread=true` lists only those not read yet (the home screen's section); "
    "`archived=true` lists the archived ones instead." + PAGINATION_DESCRIPTION,
)
async def list_notices(
    session: DbSession,
    person: Person,
    page: Page,
    response: Response,
    language: ReadingLanguage,
    unread: Annotated[bool, Query(description="Only notices not read yet.")] = False,
    archived: Annotated[bool, Query(description="The archived notices instead.")] = False,
) -> list[NoticeRead]:
    notices = await repository.inbox(
        session,
        recipient_id=account_id(person),
        unread_only=unread,
        archived=archived,
        after=page.after(*repository.INBOX_KEY_TYPES),
        limit=page.fetch_size(),
    )
    shown = page.answer(notices, response, key=repository.INBOX_ORDER.key)
    return [NoticeRead.of(notice, language) for notice in shown]


@router.get(
    "/unread-count",
    summary="How many of your notices are unread",
    description=WHO + " Archived notices are not counted.",
)
async def unread_count(session: DbSession, person: Person) -> UnreadCount:
    return UnreadCount(
        unread=await repository.unread_count(session, recipient_id=account_id(person))
    )


@router.get("/{notice_id}", summary="One of your notices", description=WHO)
async def read_notice(notice: OwnNotice, language: ReadingLanguage) -> NoticeRead:
    return NoticeRead.of(notice, language)


@router.post(
    "/{notice_id}/read",
    summary="Mark a notice read",
    description=WHO + " Marking it again keeps the first time it was read.",
)
async def mark_read(
    notice: OwnNotice, tx: CurrentTransaction, language: ReadingLanguage
) -> NoticeRead:
    marked = await repository.mark(tx.session, notice=notice, read_at=tx.now)
    return NoticeRead.of(marked, language)


@router.post(
    "/{notice_id}/archive",
    summary="Archive a notice",
    description=WHO + " An archived notice leaves the inbox and the unread count; it is "
    "listed with `archived=true`. Archiving marks it read.",
)
async def archive(
    notice: OwnNotice, tx: CurrentTransaction, language: ReadingLanguage
) -> NoticeRead:
    marked = await repository.mark(tx.session, notice=notice, read_at=tx.now, archived_at=tx.now)
    return NoticeRead.of(marked, language)
