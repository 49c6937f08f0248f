"""Letters for the kiosk: a citizen's notices printed as one PDF, and handed over once."""

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from information.kiosk import repository
from information.kiosk.letter import Letterhead, NoticeText, PrintedNotice, letter_pdf
from information.kiosk.problems import NoPendingLetters
from information.kiosk.repository import Letter
from information.messages import _
from information.notices import repository as notices
from information.notices.models import Notice
from information.preferences import repository as preferences
from information.rendering import render
from kota_shared.clock import local_date
from kota_shared.i18n import DEFAULT_LANGUAGE, Language
from kota_shared.problems import NotFound
from kota_shared.transaction import Transaction


@dataclass(frozen=True)
class LetterSettings:
    """How the city prints its letters (``INFORMATION_CITY_NAME`` and the like)."""

    letterhead: Letterhead
    batch_limit: int
    timezone: ZoneInfo
    """The city's: the dates a letter prints."""


async def hand_over(
    tx: Transaction,
    *,
    citizen_id: uuid.UUID,
    notice_ids: Sequence[uuid.UUID],
    officer_id: uuid.UUID,
) -> list[Letter]:
    """Record the letters handed over by ``officer_id`` now, and mark their notices read.

    A letter handed over before keeps its first hand-over (who and when) and is answered
    with it, so a retried request, or two officers at once, change nothing. A notice that is
    not the citizen's fails the whole request, as if it did not exist.
    """
    letters = await repository.letters_by_id(
        tx.session, citizen_id=citizen_id, notice_ids=notice_ids
    )
    found = {letter.notice.id for letter in letters}
    missing = [str(notice_id) for notice_id in notice_ids if notice_id not in found]
    if missing:
        raise NotFound(_("This citizen has no letter with this id."), notice_ids=missing)
    await repository.record_handovers(
        tx.session, notice_ids=notice_ids, officer_id=officer_id, at=tx.now
    )
    for letter in letters:
        await notices.mark(tx.session, notice=letter.notice, read_at=tx.now)
    return await repository.letters_by_id(tx.session, citizen_id=citizen_id, notice_ids=notice_ids)


async def pending_batch(
    tx: Transaction, *, citizen_id: uuid.UUID, settings: LetterSettings
) -> list[Letter]:
    """The citizen's pending letters for one printed batch, oldest first."""
    letters = await repository.oldest_pending(
        tx.session, citizen_id=citizen_id, limit=settings.batch_limit
    )
    if not letters:
        raise NoPendingLetters()
    return letters


async def printed(
    tx: Transaction,
    *,
    citizen_id: uuid.UUID,
    letters: Sequence[Letter],
    settings: LetterSettings,
) -> bytes:
    """One PDF letter of ``letters``, dated today, in Indonesian and, when the citizen's
    preference is English, in English too."""
    preference = await preferences.get(tx.session, account_id=citizen_id)
    languages: tuple[Language, ...] = (DEFAULT_LANGUAGE,)
    if preference is not None and preference.language == "en":
        languages = (DEFAULT_LANGUAGE, "en")
    printed_notices = [_printed(letter.notice, languages, settings) for letter in letters]
    # Laying out pages is CPU work: off the event loop, so other requests are not held up.
    return await asyncio.to_thread(
        letter_pdf,
        letterhead=settings.letterhead,
        recipient_id=citizen_id,
        printed_on=tx.today,
        languages=languages,
        notices=printed_notices,
    )


def _printed(
    notice: Notice, languages: Sequence[Language], settings: LetterSettings
) -> PrintedNotice:
    """The notice's letter template, in the version its inbox text was written with."""
    texts = []
    for language in languages:
        rendered = render(
            notice.kind,
            "letter",
            language,
            notice.params,
            timezone=settings.timezone,
            version=notice.template_version,
        )
        if rendered.language == language:  # not Indonesian again for a missing translation
            texts.append(NoticeText(language, rendered.title or "", rendered.body))
    return PrintedNotice(
        notice_id=notice.id,
        subject_ref=notice.subject_ref,
        sent_on=local_date(notice.created_at, settings.timezone),
        texts=texts,
    )
