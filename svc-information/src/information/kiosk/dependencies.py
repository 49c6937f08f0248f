"""Whose letters a kiosk caller may list, print and hand over, and the letter a path names.

Each is answered in order: the citizen themselves (their own token, or an officer's assisted
session for them: ``act`` names the officer) sees their letters whether or not a kiosk
registered them (a citizen whose phone is lost); an information officer sees those of a
citizen a kiosk registered. Another citizen's letters are as absent as none (404), so account
ids cannot be probed; staff without the role get 403.
"""

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from information.config import InformationSettings
from information.dependencies import Person, account_id, acting_officer_id
from information.directory import repository as directory
from information.directory.models import AccountKind
from information.kiosk import repository
from information.kiosk.letter import Letterhead
from information.kiosk.problems import HandoverByOfficerOnly, NotRegisteredAtKiosk
from information.kiosk.repository import Letter
from information.kiosk.service import LetterSettings
from information.messages import _
from kota_contracts.access import Role
from kota_shared.auth import Principal, Require
from kota_shared.db import DbSession
from kota_shared.problems import Forbidden, NotFound

InformationOfficer = Annotated[Principal, Depends(Require(roles={Role.INFORMATION_OFFICER}))]
"""An information officer: the one role that sees kiosk-registered citizens' letters by id."""


@dataclass(frozen=True)
class KioskCaller:
    """Someone the path's citizen's letters are open to."""

    citizen_id: uuid.UUID
    officer_id: uuid.UUID | None
    """The officer at the kiosk, who hands letters over: the one the citizen's assisted
    session names, or the information officer; None for the citizen alone."""


async def _kiosk_caller(session: DbSession, person: Person, citizen_id: uuid.UUID) -> KioskCaller:
    if person.has_role(Role.CITIZEN):
        if person.subject.lower() != str(citizen_id):
            raise NotFound(_("No letters of this account are yours to see."))
        return KioskCaller(citizen_id=citizen_id, officer_id=acting_officer_id(person))
    if person.has_role(Role.INFORMATION_OFFICER):
        entry = await directory.get(session, account_id=citizen_id)
        if entry is None or entry.kind != AccountKind.CITIZEN:
            raise NotFound(_("No citizen has this account id."))
        if not entry.registered_at_kiosk:
            raise NotRegisteredAtKiosk()
        return KioskCaller(citizen_id=citizen_id, officer_id=account_id(person))
    raise Forbidden(
        _(
            "A citizen's letters are for the citizen, an officer in an assisted session for "
            "them, or an information officer."
        )
    )


CitizensLetters = Annotated[KioskCaller, Depends(_kiosk_caller)]
"""The path's citizen, once the caller may see their letters."""


def _officer(caller: CitizensLetters) -> uuid.UUID:
    if caller.officer_id is None:
        raise HandoverByOfficerOnly()
    return caller.officer_id


HandingOfficer = Annotated[uuid.UUID, Depends(_officer)]
"""The officer handing the path's citizen's letters over (the citizen alone may not)."""


async def _letter(session: DbSession, caller: CitizensLetters, notice_id: uuid.UUID) -> Letter:
    found = await repository.letters_by_id(
        session, citizen_id=caller.citizen_id, notice_ids=[notice_id]
    )
    if not found:
        raise NotFound(_("This citizen has no letter with this id."))
    return found[0]


CitizensLetter = Annotated[Letter, Depends(_letter)]
"""The letter the path names, of the path's citizen, else 404."""


def _letter_settings(request: Request) -> LetterSettings:
    settings: InformationSettings = request.app.state.runtime.settings
    return LetterSettings(
        letterhead=Letterhead(
            government=f"Pemerintah {settings.city_name}",
            office=settings.letter_office,
            place=settings.city_name,
        ),
        batch_limit=settings.letter_batch_limit,
        timezone=settings.timezone,
    )


PrintingSettings = Annotated[LetterSettings, Depends(_letter_settings)]
"""How this city prints its letters."""
