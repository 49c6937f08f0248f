"""The public feed of the city's current announcements: JSON and Atom, without signing in."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import TypeAdapter

from information.announcements import caching, feed, repository
from information.announcements.dependencies import FeedLanguage, Settings
from information.announcements.problems import AnnouncementNotFound, UnknownKecamatan
from information.announcements.schemas import FEED_PATH, KECAMATAN_PATTERN, PublicAnnouncement
from information.messages import _
from kota_shared.clock import Now
from kota_shared.db import DbSession
from kota_shared.openapi import answers
from kota_shared.pagination import PAGINATION_DESCRIPTION, Page

router = APIRouter(prefix=FEED_PATH, tags=["information"])

WHO = "Who may call: anyone, without signing in."
CURRENT = (
    " Current means published, its publication time come and its expiry not, and not "
    "withdrawn; announcements for officers are never listed. `kecamatan` (repeatable, the "
    "city's dotted Kemendagri codes; 422 `unknown_kecamatan` for another) lists "
    "everyone's and those kecamatan's; without it, every kecamatan's too. Cached publicly "
    "for a minute, with `ETag` and `Last-Modified`: a reader that sends `If-None-Match` or "
    "`If-Modified-Since` gets 304 while nothing changed."
)
_PAGE = TypeAdapter(list[PublicAnnouncement])
_ONE = TypeAdapter(PublicAnnouncement)

Codes = Annotated[
    list[Annotated[str, Query(pattern=KECAMATAN_PATTERN)]],
    Query(max_length=50, description="Dotted Kemendagri codes, e.g. `36.71.05`."),
]


def _checked(codes: list[str], city: dict[str, str]) -> list[str]:
    unknown = sorted({code for code in codes if code not in city})
    if unknown:
        raise UnknownKecamatan(
            _("Use the codes of the city's kecamatan, e.g. {example}.", example=min(city)),
            unknown=unknown,
        )
    return sorted(set(codes))


@router.get(
    "",
    summary="The city's current announcements (JSON)",
    description=WHO + CURRENT + " Newest publication first, in the language of `lang` or "
    "`Accept-Language` (Indonesian where no English was written)." + PAGINATION_DESCRIPTION,
    response_model=list[PublicAnnouncement],
    responses=answers(UnknownKecamatan),
)
async def public_feed(
    request: Request,
    session: DbSession,
    now: Now,
    page: Page,
    language: FeedLanguage,
    settings: Settings,
    kecamatan: Codes = [],  # noqa: B006 - FastAPI copies a query default
) -> Response:
    codes = _checked(kecamatan, settings.kecamatan)
    announcements = await repository.current_public(
        session,
        now=now,
        kecamatan_codes=codes,
        after=page.after(*repository.FEED_KEY_TYPES),
        limit=page.fetch_size(),
    )
    links = Response()  # collects the page's Link header, part of what the ETag covers
    shown = page.answer(announcements, links, key=repository.FEED_ORDER.key)
    return caching.conditional(
        request,
        content=_PAGE.dump_json([PublicAnnouncement.of(a, language) for a in shown]),
        media_type="application/json",
        last_modified=await repository.feed_changed_at(session, now=now, kecamatan_codes=codes),
        cache_control=caching.FEED_CACHE,
        vary="Accept-Language",
        headers={"Link": links.headers["link"]} if "link" in links.headers else None,
    )


@router.get(
    ".atom",
    summary="The city's current announcements (Atom)",
    description=WHO + CURRENT + " An Atom 1.0 document (RFC 4287) of the newest `limit` "
    "(default 50, at most 100), for feed readers and other sites.",
    response_class=Response,
    responses={200: {"content": {feed.ATOM: {}}}, **answers(UnknownKecamatan)},
)
async def atom_feed(
    request: Request,
    session: DbSession,
    now: Now,
    language: FeedLanguage,
    settings: Settings,
    kecamatan: Codes = [],  # noqa: B006 - FastAPI copies a query default
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Response:
    codes = _checked(kecamatan, settings.kecamatan)
    announcements = await repository.current_public(
        session, now=now, kecamatan_codes=codes, after=None, limit=limit
    )
    changed_at = await repository.feed_changed_at(session, now=now, kecamatan_codes=codes)
    document = feed.atom(
        announcements,
        feed_url=settings.public_feed_url,
        city_name=settings.city_name,
        language=language,
        kecamatan_codes=codes,
        changed_at=changed_at,
    )
    return caching.conditional(
        request,
        content=document,
        media_type=feed.ATOM,
        last_modified=changed_at,
        cache_control=caching.FEED_CACHE,
        vary="Accept-Language",
    )


@router.get(
    "/{announcement_id}",
    summary="One current announcement (JSON)",
    description=WHO + " A withdrawn, expired, future or officers' announcement is 404, as "
    "an unknown id is.",
    response_model=PublicAnnouncement,
    responses=answers(AnnouncementNotFound),
)
async def public_announcement(
    request: Request,
    announcement_id: uuid.UUID,
    session: DbSession,
    now: Now,
    language: FeedLanguage,
) -> Response:
    announcement = await repository.current_public_one(
        session, announcement_id=announcement_id, now=now
    )
    if announcement is None:
        raise AnnouncementNotFound()
    return caching.conditional(
        request,
        content=_ONE.dump_json(PublicAnnouncement.of(announcement, language)),
        media_type="application/json",
        last_modified=announcement.publish_at,
        cache_control=caching.FEED_CACHE,
        vary="Accept-Language",
    )


@router.get(
    "/{announcement_id}/image",
    summary="A current announcement's image",
    description=WHO + " Served with the type its bytes showed when it was uploaded, and "
    "`X-Content-Type-Options: nosniff`. 404 unless the announcement is current and has one.",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}},
        **answers(AnnouncementNotFound),
    },
)
async def public_image(
    request: Request, announcement_id: uuid.UUID, session: DbSession, now: Now
) -> Response:
    announcement = await repository.current_public_one(
        session, announcement_id=announcement_id, now=now
    )
    content = (
        await repository.image_content(session, announcement_id=announcement_id)
        if announcement is not None and announcement.image_content_type is not None
        else None
    )
    if announcement is None or content is None or announcement.image_content_type is None:
        raise AnnouncementNotFound(_("This announcement has no image to show."))
    return caching.conditional(
        request,
        content=content,
        media_type=announcement.image_content_type,
        last_modified=announcement.publish_at,
        cache_control=caching.IMAGE_CACHE,
    )
