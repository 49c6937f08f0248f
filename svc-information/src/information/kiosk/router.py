"""The kiosk's letters: a citizen's notices listed, printed as a PDF letter and handed over
by an officer, for citizens a kiosk registered (who may have no phone) and for any citizen
who asks at a kiosk."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from information.kiosk import repository, service
from information.kiosk.dependencies import (
    CitizensLetter,
    CitizensLetters,
    HandingOfficer,
    InformationOfficer,
    PrintingSettings,
)
from information.kiosk.problems import (
    HandoverByOfficerOnly,
    NoPendingLetters,
    NotRegisteredAtKiosk,
)
from information.kiosk.schemas import HandoverRequest, LetterRead, WaitingCitizenRead
from information.notices.dependencies import ReadingLanguage
from kota_shared.db import DbSession
from kota_shared.openapi import answers
from kota_shared.pagination import PAGINATION_DESCRIPTION, Page
from kota_shared.problems import NotFound
from kota_shared.transaction import CurrentTransaction

router = APIRouter(prefix="/v1/information/kiosk", tags=["information"])

WHO = (
    "Who may call: the citizen themselves, or an officer at a kiosk holding the citizen's "
    "assisted-session token (its subject the citizen, `act` the officer), whether or not a "
    "kiosk registered the citizen; an information officer for a citizen a kiosk registered "
    "(another citizen: 403 `not_registered_at_kiosk`, an unknown account: 404). Another "
    "citizen's letters are answered 404; an officer with neither the role nor the citizen's "
    "token gets 403."
)
PENDING = " Pending: neither handed over nor read by the citizen in the app (nor archived there)."
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The letter, as a PDF."}
}
LETTER_RESPONSES = answers(NotRegisteredAtKiosk, NotFound)


def _pdf(content: bytes, *, filename: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.get(
    "/citizens",
    summary="Citizens registered at a kiosk with letters waiting",
    description="Who may call: an information officer. The citizens a kiosk registered who "
    "have pending letters, who has waited longest first: their account ids, how many, and "
    "since when (no names or numbers: those stay with identity)."
    + PENDING
    + PAGINATION_DESCRIPTION,
)
async def waiting_citizens(
    session: DbSession, officer: InformationOfficer, page: Page, response: Response
) -> list[WaitingCitizenRead]:
    waiting = await repository.waiting_citizens(
        session, after=page.after(*repository.WAITING_KEY_TYPES), limit=page.fetch_size()
    )
    shown = page.answer(
        waiting, response, key=lambda citizen: (citizen.oldest_pending_at, citizen.account_id)
    )
    return [WaitingCitizenRead.of(citizen) for citizen in shown]


@router.get(
    "/citizens/{citizen_id}/letters",
    summary="A citizen's letters, newest first",
    responses=LETTER_RESPONSES,
    description=WHO + " The pending ones unless `all=true`, which lists every notice a "
    "letter can be printed of, handed over or read too. Titles in the caller's "
    "Accept-Language." + PENDING + PAGINATION_DESCRIPTION,
)
async def list_letters(
    session: DbSession,
    caller: CitizensLetters,
    page: Page,
    response: Response,
    language: ReadingLanguage,
    every_letter: Annotated[
        bool, Query(alias="all", description="Handed-over and read letters too.")
    ] = False,
) -> list[LetterRead]:
    letters = await repository.letters(
        session,
        citizen_id=caller.citizen_id,
        pending_only=not every_letter,
        after=page.after(*repository.LETTER_KEY_TYPES),
        limit=page.fetch_size(),
    )
    shown = page.answer(letters, response, key=lambda letter: letter.key)
    return [LetterRead.of(letter, language) for letter in shown]


@router.get(
    "/citizens/{citizen_id}/letters.pdf",
    summary="Print a citizen's pending letters as one letter",
    response_class=Response,
    responses={**PDF, **answers(NotRegisteredAtKiosk, NoPendingLetters, NotFound)},
    description=WHO + " One PDF letter of the pending notices, oldest first, at most "
    "`INFORMATION_LETTER_BATCH_LIMIT` (default 50; the rest in the next batch), dated today "
    "in Bahasa Indonesia (and in English, with every notice's English text, when the "
    "citizen's preference is English). None pending: 404 `no_pending_letters`. Printing "
    "hands nothing over: list the letters to learn their ids, then hand them over." + PENDING,
)
async def print_pending_letters(
    tx: CurrentTransaction, caller: CitizensLetters, settings: PrintingSettings
) -> Response:
    letters = await service.pending_batch(tx, citizen_id=caller.citizen_id, settings=settings)
    content = await service.printed(
        tx, citizen_id=caller.citizen_id, letters=letters, settings=settings
    )
    return _pdf(content, filename=f"surat-{tx.today.isoformat()}.pdf")


@router.get(
    "/citizens/{citizen_id}/letters/{notice_id}.pdf",
    summary="Print one letter",
    response_class=Response,
    responses={**PDF, **LETTER_RESPONSES},
    description=WHO + " The notice as a PDF letter, pending or not (printed again on "
    "request): the city's letterhead, today's date in Bahasa Indonesia (and English when "
    "the citizen's preference is English), its title, body and reference. No NIK, "
    "family-card or phone number.",
)
async def print_letter(
    tx: CurrentTransaction,
    caller: CitizensLetters,
    letter: CitizensLetter,
    settings: PrintingSettings,
) -> Response:
    content = await service.printed(
        tx, citizen_id=caller.citizen_id, letters=[letter], settings=settings
    )
    return _pdf(content, filename=f"surat-{letter.notice.id}.pdf")


HANDOVER = (
    " Only an officer hands over (the citizen alone: 403 `handover_by_officer_only`): the "
    "information officer, or the officer the assisted session names, is recorded with the "
    "time. A handed-over letter counts as read in the citizen's inbox. Once: handing it over "
    "again answers 200 with the first hand-over, unchanged, so a retry is harmless and a "
    "second officer sees who gave it and when."
)


@router.post(
    "/citizens/{citizen_id}/letters/{notice_id}/handover",
    summary="Record a letter handed over",
    responses=answers(NotRegisteredAtKiosk, HandoverByOfficerOnly, NotFound),
    description=WHO + HANDOVER,
)
async def hand_over_letter(
    tx: CurrentTransaction,
    caller: CitizensLetters,
    letter: CitizensLetter,
    officer_id: HandingOfficer,
    language: ReadingLanguage,
) -> LetterRead:
    (handed,) = await service.hand_over(
        tx, citizen_id=caller.citizen_id, notice_ids=[letter.notice.id], officer_id=officer_id
    )
    return LetterRead.of(handed, language)


@router.post(
    "/citizens/{citizen_id}/letters/handover",
    summary="Record a printed batch handed over",
    responses=answers(NotRegisteredAtKiosk, HandoverByOfficerOnly, NotFound),
    description=WHO + HANDOVER + " Every letter named is the citizen's, or nothing is "
    "recorded (404, `notice_ids` naming those not found).",
)
async def hand_over_letters(
    body: HandoverRequest,
    tx: CurrentTransaction,
    caller: CitizensLetters,
    officer_id: HandingOfficer,
    language: ReadingLanguage,
) -> list[LetterRead]:
    handed = await service.hand_over(
        tx, citizen_id=caller.citizen_id, notice_ids=body.notice_ids, officer_id=officer_id
    )
    return [LetterRead.of(letter, language) for letter in handed]
