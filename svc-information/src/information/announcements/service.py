"""Writing, publishing and withdrawing announcements (officers' operations).

A draft is written and rewritten whole, with its image, until it is published; then it is
fixed: what reached a citizen's inbox stays what the feed shows. Publishing schedules its
fan-out (`announcements.fan_out`) for its publication time, withdrawing stops it.
"""

import uuid
from collections.abc import Mapping, Sequence

from information.announcements import repository
from information.announcements.images import Image
from information.announcements.models import Announcement, AnnouncementStatus
from information.announcements.problems import (
    AlreadyExpired,
    AnnouncementNotFound,
    ExpiryBeforePublication,
    IllegalTransition,
    NotEditable,
    UnknownKecamatan,
)
from information.announcements.schemas import AnnouncementWrite, Kecamatan, Officers
from information.messages import _
from kota_contracts.information import AnnouncementPublished, AnnouncementWithdrawn
from kota_shared.auth import Principal
from kota_shared.pagination import Key
from kota_shared.transaction import Transaction


async def find(
    tx: Transaction, *, announcement_id: uuid.UUID, for_update: bool = False
) -> Announcement:
    announcement = await repository.get(
        tx.session, announcement_id=announcement_id, for_update=for_update
    )
    if announcement is None:
        raise AnnouncementNotFound()
    return announcement


async def listed(
    tx: Transaction,
    *,
    statuses: Sequence[AnnouncementStatus] | None,
    after: Key | None,
    limit: int,
) -> Sequence[Announcement]:
    return await repository.listed(tx.session, statuses=statuses, after=after, limit=limit)


async def create(
    tx: Transaction, *, write: AnnouncementWrite, by: Principal, city: Mapping[str, str]
) -> Announcement:
    """A new draft; ``city`` is the city's kecamatan (code → name) its audience is checked
    against."""
    announcement = Announcement(
        id=uuid.uuid4(),
        status=AnnouncementStatus.DRAFT,
        created_by=by.acted_by,
        created_at=tx.now,
    )
    _write(announcement, write, tx=tx, city=city)
    return await repository.add(tx.session, announcement)


async def replace(
    tx: Transaction,
    *,
    announcement: Announcement,
    write: AnnouncementWrite,
    city: Mapping[str, str],
) -> Announcement:
    _ensure_draft(announcement)
    _write(announcement, write, tx=tx, city=city)
    return announcement


async def delete(tx: Transaction, *, announcement: Announcement) -> None:
    _ensure_draft(announcement)
    await repository.delete(tx.session, announcement=announcement)


async def attach_image(tx: Transaction, *, announcement: Announcement, image: Image | None) -> None:
    """Set the draft's image (None: remove it)."""
    _ensure_draft(announcement)
    await repository.set_image(
        tx.session,
        announcement_id=announcement.id,
        content=image.content if image is not None else None,
    )
    announcement.image_content_type = image.content_type if image is not None else None
    announcement.image_sha256 = image.sha256 if image is not None else None
    announcement.image_size = image.size if image is not None else None
    announcement.updated_at = tx.now


async def publish(tx: Transaction, *, announcement: Announcement, by: Principal) -> Announcement:
    """Make the draft current from its ``publish_at`` (at once if none, or if it has
    passed), and schedule its way into its audience's inboxes for then."""
    if announcement.status is not AnnouncementStatus.DRAFT:
        raise IllegalTransition(_("Only a draft can be published."))
    publish_at = max(announcement.publish_at or tx.now, tx.now)
    if announcement.expires_at is not None and announcement.expires_at <= publish_at:
        raise AlreadyExpired(expires_at=announcement.expires_at.isoformat())
    announcement.status = AnnouncementStatus.PUBLISHED
    announcement.publish_at = publish_at
    announcement.published_at = tx.now
    announcement.published_by = by.acted_by
    await repository.add_fan_out(tx.session, announcement_id=announcement.id, due_at=publish_at)
    await tx.outbox.add(
        tx.session,
        AnnouncementPublished(
            announcement_id=announcement.id,
            category=announcement.category,
            audience=announcement.audience,
            kecamatan_codes=announcement.kecamatan_codes,
            roles=announcement.roles,
            publish_at=publish_at,
            expires_at=announcement.expires_at,
            published_at=tx.now,
        ),
        subject=str(announcement.id),
    )
    return announcement


async def withdraw(tx: Transaction, *, announcement: Announcement, by: Principal) -> Announcement:
    """Take a published announcement back: out of the feed, and its fan-out stops at the
    chunk it is at (inboxes already reached keep it). A draft is deleted instead."""
    if announcement.status is not AnnouncementStatus.PUBLISHED:
        raise IllegalTransition(_("Only a published announcement can be withdrawn."))
    announcement.status = AnnouncementStatus.WITHDRAWN
    announcement.withdrawn_at = tx.now
    announcement.withdrawn_by = by.acted_by
    await tx.outbox.add(
        tx.session,
        AnnouncementWithdrawn(announcement_id=announcement.id, withdrawn_at=tx.now),
        subject=str(announcement.id),
    )
    return announcement


def _ensure_draft(announcement: Announcement) -> None:
    if announcement.status is not AnnouncementStatus.DRAFT:
        raise NotEditable(_("A published or withdrawn announcement cannot be changed."))


def _write(
    announcement: Announcement,
    write: AnnouncementWrite,
    *,
    tx: Transaction,
    city: Mapping[str, str],
) -> None:
    """Put what the officer wrote on the row, after the checks a schema cannot make."""
    audience = write.audience
    codes = sorted(set(audience.kecamatan_codes)) if isinstance(audience, Kecamatan) else []
    _check_kecamatan(audience.kecamatan_codes if isinstance(audience, Kecamatan) else [], city)
    if (
        write.publish_at is not None
        and write.expires_at is not None
        and write.expires_at <= write.publish_at
    ):
        raise ExpiryBeforePublication(
            errors=[
                {
                    "field": "body.expires_at",
                    "message": _("Must be later than publish_at."),
                    "type": "expiry_before_publication",
                }
            ]
        )
    announcement.category = write.category
    announcement.title_id = write.title.id
    announcement.title_en = write.title.en
    announcement.body_id = write.body.id
    announcement.body_en = write.body.en
    announcement.audience = audience.kind
    announcement.kecamatan_codes = codes
    announcement.roles = sorted(set(audience.roles)) if isinstance(audience, Officers) else []
    announcement.publish_at = write.publish_at
    announcement.expires_at = write.expires_at
    announcement.updated_at = tx.now


def _check_kecamatan(codes: Sequence[str], city: Mapping[str, str]) -> None:
    unknown = [(index, code) for index, code in enumerate(codes) if code not in city]
    if unknown:
        raise UnknownKecamatan(
            _("Use the codes of the city's kecamatan, e.g. {example}.", example=min(city)),
            unknown=[code for _index, code in unknown],
            errors=[
                {
                    "field": f"body.audience.kecamatan_codes.{index}",
                    "message": _("Not a kecamatan of the city."),
                    "type": "unknown_kecamatan",
                }
                for index, _code in unknown
            ],
        )
