"""Officers' endpoints for announcements: write a draft, give it an image, publish, withdraw."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from information.announcements import images, repository, service
from information.announcements.dependencies import (
    AnnouncementForUpdate,
    OfficeAnnouncement,
    Publisher,
    Settings,
)
from information.announcements.models import Announcement, AnnouncementStatus
from information.announcements.problems import (
    AlreadyExpired,
    AnnouncementNotFound,
    ExpiryBeforePublication,
    IllegalTransition,
    ImageMismatch,
    ImageTooLarge,
    ImageTypeNotAccepted,
    NotEditable,
    UnknownKecamatan,
)
from information.announcements.schemas import AnnouncementRead, AnnouncementWrite
from information.messages import _
from kota_shared.bodies import read_bytes
from kota_shared.i18n import FileSize
from kota_shared.openapi import answers
from kota_shared.pagination import PAGINATION_DESCRIPTION, Page
from kota_shared.problems import PayloadTooLarge
from kota_shared.transaction import CurrentTransaction, Transaction

router = APIRouter(prefix="/v1/information/announcements", tags=["information"])

WHO = "Who may call: an information officer (`information_officer`) or a city admin."


async def _read(tx: Transaction, announcement: Announcement) -> AnnouncementRead:
    fan_out = await repository.fan_out_of(tx.session, announcement_id=announcement.id)
    return AnnouncementRead.of(announcement, fan_out=fan_out)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Write a draft announcement",
    description=WHO + " Title and body in Bahasa Indonesia (required) and English "
    "(optional), a category, the audience (everyone; one or more of the city's kecamatan by "
    "dotted Kemendagri code, 422 `unknown_kecamatan` for another; or officers by role), and "
    "optional publication and expiry times (422 `expiry_before_publication` unless the "
    "expiry is later). Nobody else sees a draft.",
    responses=answers(UnknownKecamatan, ExpiryBeforePublication),
)
async def create_announcement(
    body: AnnouncementWrite, tx: CurrentTransaction, publisher: Publisher, settings: Settings
) -> AnnouncementRead:
    announcement = await service.create(tx, write=body, by=publisher, city=settings.kecamatan)
    return await _read(tx, announcement)


@router.get(
    "",
    summary="Announcements, the newest written first",
    description=WHO + " Drafts, published and withdrawn ones, with each one's progress "
    "into inboxes; `status` narrows the list." + PAGINATION_DESCRIPTION,
)
async def list_announcements(
    tx: CurrentTransaction,
    publisher: Publisher,
    page: Page,
    response: Response,
    status: Annotated[list[AnnouncementStatus] | None, Query()] = None,
) -> list[AnnouncementRead]:
    announcements = await service.listed(
        tx,
        statuses=status,
        after=page.after(*repository.OFFICE_KEY_TYPES),
        limit=page.fetch_size(),
    )
    shown = page.answer(announcements, response, key=repository.OFFICE_ORDER.key)
    fan_outs = await repository.fan_outs_of(tx.session, announcement_ids=[a.id for a in shown])
    return [AnnouncementRead.of(a, fan_out=fan_outs.get(a.id)) for a in shown]


@router.get(
    "/{announcement_id}",
    summary="One announcement",
    description=WHO,
    responses=answers(AnnouncementNotFound),
)
async def read_announcement(
    announcement: OfficeAnnouncement, tx: CurrentTransaction
) -> AnnouncementRead:
    return await _read(tx, announcement)


@router.put(
    "/{announcement_id}",
    summary="Rewrite a draft",
    description=WHO + " The whole announcement, as when it was written; only a draft "
    "(409 `announcement_not_editable` once published or withdrawn).",
    responses=answers(UnknownKecamatan, ExpiryBeforePublication, NotEditable, AnnouncementNotFound),
)
async def replace_announcement(
    body: AnnouncementWrite,
    announcement: AnnouncementForUpdate,
    tx: CurrentTransaction,
    settings: Settings,
) -> AnnouncementRead:
    await service.replace(tx, announcement=announcement, write=body, city=settings.kecamatan)
    return await _read(tx, announcement)


@router.delete(
    "/{announcement_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a draft",
    description=WHO + " Only a draft (409 `announcement_not_editable`); a published one is "
    "withdrawn instead.",
    responses=answers(NotEditable, AnnouncementNotFound),
)
async def delete_announcement(announcement: AnnouncementForUpdate, tx: CurrentTransaction) -> None:
    await service.delete(tx, announcement=announcement)


@router.put(
    "/{announcement_id}/image",
    summary="Give a draft its image",
    description=WHO + " The body is the image itself, sent as `image/jpeg`, `image/png` or "
    "`image/webp`. Its type is judged by its bytes: anything else (SVG, HTML, a PDF) is 415 "
    "`image_type_not_accepted`, an image of another type than the one declared 422 "
    "`image_type_mismatch`, one larger than `INFORMATION_ANNOUNCEMENT_IMAGE_MAX_BYTES` "
    "(default 2 MiB) 413 `image_too_large`. Replaces an image it had; only a draft.",
    responses=answers(
        ImageTooLarge, ImageTypeNotAccepted, ImageMismatch, NotEditable, AnnouncementNotFound
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in images.ACCEPTED
            },
        }
    },
)
async def put_image(
    request: Request,
    announcement: AnnouncementForUpdate,
    tx: CurrentTransaction,
    settings: Settings,
) -> AnnouncementRead:
    limit = settings.announcement_image_max_bytes
    try:
        content = await read_bytes(request, max_bytes=limit)
    except PayloadTooLarge:
        raise ImageTooLarge(
            _("An announcement's image may be at most {size}.", size=FileSize(limit)),
            max_bytes=limit,
        ) from None
    image = images.accept(content, declared=request.headers.get("content-type"))
    await service.attach_image(tx, announcement=announcement, image=image)
    return await _read(tx, announcement)


@router.delete(
    "/{announcement_id}/image",
    summary="Remove a draft's image",
    description=WHO + " Only a draft.",
    responses=answers(NotEditable, AnnouncementNotFound),
)
async def delete_image(
    announcement: AnnouncementForUpdate, tx: CurrentTransaction
) -> AnnouncementRead:
    await service.attach_image(tx, announcement=announcement, image=None)
    return await _read(tx, announcement)


@router.post(
    "/{announcement_id}/publish",
    summary="Publish a draft",
    description=WHO + " It is current (in the public feed, unless its audience is "
    "officers) from its `publish_at`, or at once if it has none or it has passed, until its "
    "`expires_at` (409 `announcement_already_expired` if that has passed); from then on "
    "every account of its audience finds it in their inbox, each once. Only a draft (409 "
    "`announcement_illegal_transition`). Announced as `information.announcement.published.v1`.",
    responses=answers(IllegalTransition, AlreadyExpired, AnnouncementNotFound),
)
async def publish_announcement(
    announcement: AnnouncementForUpdate, tx: CurrentTransaction, publisher: Publisher
) -> AnnouncementRead:
    await service.publish(tx, announcement=announcement, by=publisher)
    return await _read(tx, announcement)


@router.post(
    "/{announcement_id}/withdraw",
    summary="Withdraw a published announcement",
    description=WHO + " It leaves the feed at once, and inboxes its fan-out has not reached "
    "yet will not receive it (those already reached keep it). Only a published one (409 "
    "`announcement_illegal_transition`). Announced as "
    "`information.announcement.withdrawn.v1`.",
    responses=answers(IllegalTransition, AnnouncementNotFound),
)
async def withdraw_announcement(
    announcement: AnnouncementForUpdate, tx: CurrentTransaction, publisher: Publisher
) -> AnnouncementRead:
    await service.withdraw(tx, announcement=announcement, by=publisher)
    return await _read(tx, announcement)
