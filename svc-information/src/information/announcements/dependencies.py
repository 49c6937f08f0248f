"""Who may write announcements, the announcement a path names, and the settings they use."""

import uuid
from typing import Annotated

from fastapi import Depends, Query, Request

from information.announcements import service
from information.announcements.models import Announcement
from information.config import InformationSettings
from kota_contracts.access import Role
from kota_shared.auth import Principal, Require
from kota_shared.i18n import Language, negotiate
from kota_shared.transaction import CurrentTransaction

Publisher = Annotated[
    Principal, Depends(Require(roles={Role.INFORMATION_OFFICER, Role.CITY_ADMIN}))
]
"""An information officer or a city admin: they write, publish and withdraw announcements."""


def _settings(request: Request) -> InformationSettings:
    settings: InformationSettings = request.app.state.runtime.settings
    return settings


Settings = Annotated[InformationSettings, Depends(_settings)]


async def _for_update(
    announcement_id: uuid.UUID, tx: CurrentTransaction, publisher: Publisher
) -> Announcement:
    """Locked for the request: a publication and an edit of one draft run one after the
    other, so nothing is published that was not checked."""
    return await service.find(tx, announcement_id=announcement_id, for_update=True)


AnnouncementForUpdate = Annotated[Announcement, Depends(_for_update)]


async def _readable(
    announcement_id: uuid.UUID, tx: CurrentTransaction, publisher: Publisher
) -> Announcement:
    return await service.find(tx, announcement_id=announcement_id)


OfficeAnnouncement = Annotated[Announcement, Depends(_readable)]
"""Any announcement, as officers see it (drafts and withdrawn ones too)."""


def _language(
    request: Request,
    lang: Annotated[
        Language | None,
        Query(description="`id` or `en`; without it, the `Accept-Language` header decides."),
    ] = None,
) -> Language:
    return lang or negotiate(request.headers.get("accept-language"))


FeedLanguage = Annotated[Language, Depends(_language)]
"""A feed reader rarely sends ``Accept-Language``, so a feed's URL can name its language."""
