"""The notice a path names, loaded for its recipient or answered with 404."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from information.dependencies import Person, account_id
from information.messages import _
from information.notices import repository
from information.notices.models import Notice
from kota_shared.db import DbSession
from kota_shared.i18n import Language, negotiate
from kota_shared.problems import NotFound


async def _own(session: DbSession, person: Person, notice_id: uuid.UUID) -> Notice:
    """Another account's notice is answered as if it did not exist, so ids cannot be probed."""
    notice = await repository.get_for(session, notice_id=notice_id, recipient_id=account_id(person))
    if notice is None:
        raise NotFound(_("No notice with this id is addressed to you."))
    return notice


OwnNotice = Annotated[Notice, Depends(_own)]


def _language(request: Request) -> Language:
    return negotiate(request.headers.get("accept-language"))


ReadingLanguage = Annotated[Language, Depends(_language)]
"""Indonesian unless the caller's Accept-Language ranks English higher."""
