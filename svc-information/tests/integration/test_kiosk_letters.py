"""Letters at the kiosk: a citizen without a phone gets their notices printed as a PDF letter
and handed over by an officer, once; nobody else sees them. Real PostgreSQL, the app
in-process, tokens minted as the gateway mints them (assisted sessions with ``act``)."""

import asyncio
import io
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pypdf
import pytest
from fastapi import FastAPI

from information.config import InformationSettings
from information.directory import repository as directory
from information.main import create_app
from information.notices import repository as notices
from information.notices.kinds import NoticeKind
from information.rendering import render
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, migrated_database, running_app
from kota_shared.i18n import LANGUAGES
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.problems import assert_problem

KIOSK = "/v1/information/kiosk"
WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
"""09:00 on 7 December 2026 in Kota Tangerang: the day letters are printed."""
NIK = "3671014508900001"
FAMILY_CARD = "3671012301150007"
PHONE = "0812-3456-7890"
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)|\d{4}[ .-]\d{4}[ .-]\d{4}[ .-]\d{4}")


@pytest.fixture(scope="module")
async def kiosk_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "information:migrations", "information")


@pytest.fixture(scope="module")
def kiosk_clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="module")
def kiosk_app(
    kiosk_database: str, service_env: dict[str, Any], kiosk_clock: MovableClock
) -> FastAPI:
    settings = InformationSettings(database_url=kiosk_database, **service_env)
    return create_app(settings, clock=kiosk_clock)


@pytest.fixture(scope="module")
async def kiosk_client(kiosk_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(kiosk_app) as client:
        yield client


@dataclass
class Kiosk:
    """Citizens, their notices, and the officers at a kiosk, on the information API."""

    client: httpx.AsyncClient
    app: FastAPI
    auth_headers: AuthHeaders
    clock: MovableClock

    async def citizen_registered(self, *, at_kiosk: bool) -> uuid.UUID:
        """A citizen identity announced (at a kiosk, or in the app by themselves)."""
        account_id = uuid.uuid4()
        async with self.app.state.sessionmaker() as session, session.begin():
            await directory.record_citizen(
                session,
                account_id=account_id,
                kecamatan_code="36.71.01",
                registered_at_kiosk=at_kiosk,
                registered_at=NOW - timedelta(days=30),
            )
        return account_id

    async def notice(
        self,
        citizen_id: uuid.UUID,
        *,
        kind: NoticeKind = NoticeKind.PERMIT_APPROVED,
        params: dict[str, Any] | None = None,
        days_ago: int = 1,
    ) -> uuid.UUID:
        """A notice in the citizen's inbox, written as the service writes one."""
        params = params or {
            "permit_type": "PBG",
            "permit_type_name": "Persetujuan Bangunan Gedung",
            "fee_amount": 1_250_000,
            "deemed": False,
            "approved_at": (NOW - timedelta(days=days_ago)).isoformat(),
        }
        inbox = {lang: render(kind, "inbox", lang, params, timezone=WIB) for lang in LANGUAGES}
        async with self.app.state.sessionmaker() as session, session.begin():
            (notice,) = await notices.add_all(
                session,
                [
                    {
                        "id": uuid.uuid4(),
                        "recipient_id": citizen_id,
                        "kind": kind,
                        "source_id": str(uuid.uuid4()),
                        "subject_ref": f"application:{uuid.uuid4()}",
                        "params": params,
                        "content": {
                            lang: {"title": text.title, "body": text.body}
                            for lang, text in inbox.items()
                        },
                        "template_version": inbox["id"].version,
                        "urgent": False,
                        "created_at": NOW - timedelta(days=days_ago),
                    }
                ],
            )
        return notice.id

    def citizen(self, citizen_id: uuid.UUID) -> dict[str, str]:
        return self.auth_headers(str(citizen_id), roles=["citizen"])

    def assisted(self, citizen_id: uuid.UUID, officer_id: uuid.UUID) -> dict[str, str]:
        """The citizen's token an officer holds at a kiosk (``act`` names the officer)."""
        return self.auth_headers(str(citizen_id), roles=["citizen"], act={"sub": str(officer_id)})

    def officer(self, role: str = "information_officer") -> tuple[uuid.UUID, dict[str, str]]:
        officer_id = uuid.uuid4()
        return officer_id, self.auth_headers(str(officer_id), roles=[role])

    async def letters(
        self, citizen_id: uuid.UUID, who: dict[str, str], **params: str
    ) -> list[dict[str, Any]]:
        response = await self.client.get(
            f"{KIOSK}/citizens/{citizen_id}/letters", headers=who, params=params
        )
        assert response.status_code == 200, response.text
        letters: list[dict[str, Any]] = response.json()
        return letters

    async def printed(self, path: str, who: dict[str, str]) -> str:
        """The text of the PDF at ``path``, read back by a PDF parser."""
        response = await self.client.get(f"{KIOSK}{path}", headers=who)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        reader = pypdf.PdfReader(io.BytesIO(response.content))
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    async def hand_over(
        self, citizen_id: uuid.UUID, notice_id: uuid.UUID, who: dict[str, str]
    ) -> httpx.Response:
        return await self.client.post(
            f"{KIOSK}/citizens/{citizen_id}/letters/{notice_id}/handover", headers=who
        )


@pytest.fixture
def kiosk(
    kiosk_client: httpx.AsyncClient,
    kiosk_app: FastAPI,
    auth_headers: AuthHeaders,
    kiosk_clock: MovableClock,
) -> Kiosk:
    kiosk_clock.fixed = NOW
    return Kiosk(kiosk_client, kiosk_app, auth_headers, kiosk_clock)


async def test_a_kiosk_registered_citizen_without_a_phone_gets_the_notice_at_the_kiosk_as_a_printable_letter(  # noqa: E501
    kiosk: Kiosk,
) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=True)
    notice_id = await kiosk.notice(citizen_id)
    officer_id, officer = kiosk.officer()

    waiting = (await kiosk.client.get(f"{KIOSK}/citizens", headers=officer)).json()
    assert {"account_id": str(citizen_id), "pending": 1} in [
        {"account_id": w["account_id"], "pending": w["pending"]} for w in waiting
    ]
    (letter,) = await kiosk.letters(citizen_id, officer)
    assert letter["notice_id"] == str(notice_id)
    assert letter["status"] == "pending"
    assert letter["title"] == "Permohonan PBG disetujui"

    text = await kiosk.printed(f"/citizens/{citizen_id}/letters/{notice_id}.pdf", officer)
    assert "PEMERINTAH KOTA TANGERANG" in text
    assert "Kota Tangerang, 7 Desember 2026" in text
    assert "Permohonan izin PBG disetujui" in text
    assert "Persetujuan Bangunan Gedung Anda telah disetujui" in text
    assert "Rp1.250.000" in text
    assert str(notice_id) in text
    assert "December" not in text  # Indonesian only: the citizen set no English preference
    assert SIXTEEN_DIGITS.search(text) is None

    kiosk.clock.fixed = NOW + timedelta(minutes=3)
    handed = await kiosk.hand_over(citizen_id, notice_id, officer)

    assert handed.status_code == 200, handed.text
    assert handed.json()["status"] == "handed_over"
    assert handed.json()["handed_over_by"] == str(officer_id)
    assert datetime.fromisoformat(handed.json()["handed_over_at"]) == NOW + timedelta(minutes=3)
    assert await kiosk.letters(citizen_id, officer) == []
    waiting = (await kiosk.client.get(f"{KIOSK}/citizens", headers=officer)).json()
    assert str(citizen_id) not in [w["account_id"] for w in waiting]
    inbox = await kiosk.client.get(
        f"/v1/information/notices/{notice_id}", headers=kiosk.citizen(citizen_id)
    )
    assert inbox.json()["read"] is True  # handed over counts as read
    assert datetime.fromisoformat(inbox.json()["read_at"]) == NOW + timedelta(minutes=3)


async def test_an_officer_in_an_assisted_session_lists_prints_and_hands_over(
    kiosk: Kiosk,
) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=True)
    notice_id = await kiosk.notice(citizen_id)
    clinic_officer_id = uuid.uuid4()
    assisted = kiosk.assisted(citizen_id, clinic_officer_id)

    (letter,) = await kiosk.letters(citizen_id, assisted)
    text = await kiosk.printed(f"/citizens/{citizen_id}/letters/{notice_id}.pdf", assisted)
    handed = await kiosk.hand_over(citizen_id, notice_id, assisted)

    assert letter["notice_id"] == str(notice_id)
    assert "Permohonan izin PBG disetujui" in text
    assert handed.status_code == 200, handed.text
    assert handed.json()["handed_over_by"] == str(clinic_officer_id)


async def test_a_letter_is_handed_over_once_and_a_second_hand_over_answers_the_first(
    kiosk: Kiosk,
) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=True)
    notice_id = await kiosk.notice(citizen_id)
    first_id, first = kiosk.officer()
    _, second = kiosk.officer()

    once = await kiosk.hand_over(citizen_id, notice_id, first)
    kiosk.clock.fixed = NOW + timedelta(hours=2)
    again = await kiosk.hand_over(citizen_id, notice_id, second)

    assert once.status_code == again.status_code == 200
    assert again.json() == once.json()
    assert again.json()["handed_over_by"] == str(first_id)
    assert datetime.fromisoformat(again.json()["handed_over_at"]) == NOW


async def test_officers_handing_over_one_letter_at_once_record_one_hand_over(
    kiosk: Kiosk,
) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=True)
    notice_id = await kiosk.notice(citizen_id)
    officers = [kiosk.officer() for _ in range(6)]

    answers = await asyncio.gather(
        *(kiosk.hand_over(citizen_id, notice_id, headers) for _, headers in officers)
    )

    assert [answer.status_code for answer in answers] == [200] * len(officers)
    (recorded,) = {answer.json()["handed_over_by"] for answer in answers}
    assert recorded in {str(officer_id) for officer_id, _ in officers}
    assert all(answer.json() == answers[0].json() for answer in answers)


async def test_the_pending_letters_print_as_one_batch_oldest_first_and_are_handed_over_together(
    kiosk: Kiosk,
) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=True)
    booked = await kiosk.notice(
        citizen_id,
        kind=NoticeKind.BOOKING_CONFIRMED,
        days_ago=1,
        params={
            "facility_code": "P3671050101",
            "service_code": "umum",
            "visit_date": "2026-12-09",
            "queue_label": "A-007",
            "queue_number": 7,
        },
    )
    approved = await kiosk.notice(citizen_id, days_ago=3)
    read_in_app = await kiosk.notice(citizen_id, days_ago=2)
    await kiosk.client.post(
        f"/v1/information/notices/{read_in_app}/read", headers=kiosk.citizen(citizen_id)
    )
    _, officer = kiosk.officer()

    listed = await kiosk.letters(citizen_id, officer)
    text = await kiosk.printed(f"/citizens/{citizen_id}/letters.pdf", officer)
    handed = await kiosk.client.post(
        f"{KIOSK}/citizens/{citizen_id}/letters/handover",
        json={"notice_ids": [str(approved), str(booked)]},
        headers=officer,
    )
    nothing_left = await kiosk.client.get(
        f"{KIOSK}/citizens/{citizen_id}/letters.pdf", headers=officer
    )
    every_letter = await kiosk.letters(citizen_id, officer, all="true")

    assert [letter["notice_id"] for letter in listed] == [str(booked), str(approved)]
    assert text.count("PEMERINTAH KOTA TANGERANG") == 1  # one letter, two notices
    assert str(read_in_app) not in text
    assert text.index(str(approved)) < text.index(str(booked))  # the oldest first
    assert "A-007" in text
    assert handed.status_code == 200, handed.text
    assert [letter["status"] for letter in handed.json()] == ["handed_over", "handed_over"]
    assert_problem(nothing_left, 404, "no_pending_letters")
    assert {letter["notice_id"]: letter["status"] for letter in every_letter} == {
        str(booked): "handed_over",
        str(approved): "handed_over",
        str(read_in_app): "read_in_app",
    }


async def test_a_batch_hand_over_naming_another_citizens_notice_records_nothing(
    kiosk: Kiosk,
) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=True)
    own = await kiosk.notice(citizen_id)
    others = await kiosk.notice(await kiosk.citizen_registered(at_kiosk=True))
    _, officer = kiosk.officer()

    refused = await kiosk.client.post(
        f"{KIOSK}/citizens/{citizen_id}/letters/handover",
        json={"notice_ids": [str(own), str(others)]},
        headers=officer,
    )

    problem = assert_problem(refused, 404, "not_found")
    assert problem["notice_ids"] == [str(others)]
    (still_pending,) = await kiosk.letters(citizen_id, officer)
    assert still_pending["notice_id"] == str(own)


async def test_a_citizen_who_reads_english_gets_the_letter_in_both_languages(
    kiosk: Kiosk,
) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=True)
    preferences = await kiosk.client.put(
        "/v1/information/preferences",
        json={"channels": [], "language": "en", "quiet_from": None, "quiet_until": None},
        headers=kiosk.citizen(citizen_id),
    )
    assert preferences.status_code == 200, preferences.text
    notice_id = await kiosk.notice(citizen_id)
    _, officer = kiosk.officer()

    text = await kiosk.printed(f"/citizens/{citizen_id}/letters/{notice_id}.pdf", officer)

    assert "Kota Tangerang, 7 Desember 2026" in text
    assert "(7 December 2026)" in text
    assert text.index("Permohonan izin PBG disetujui") < text.index(
        "Your PBG permit application is approved"
    )


async def test_a_letter_prints_no_nik_family_card_or_phone_number_and_no_markup(
    kiosk: Kiosk,
) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=True)
    note = f"NIK {NIK}, KK {FAMILY_CARD}, telp {PHONE}: <b>lengkapi</b> & kirim </para>"
    notice_id = await kiosk.notice(
        citizen_id,
        kind=NoticeKind.PERMIT_REVISION_REQUESTED,
        params={"permit_type": "PBG", "note": note, "requested_at": NOW.isoformat()},
    )
    _, officer = kiosk.officer()

    text = await kiosk.printed(f"/citizens/{citizen_id}/letters/{notice_id}.pdf", officer)

    assert "<b>lengkapi</b> & kirim </para>" in text  # printed as written, not as layout
    assert NIK not in text
    assert FAMILY_CARD not in text
    assert SIXTEEN_DIGITS.search(text) is None
    assert PHONE not in text
    assert "34567890" not in text.replace("-", "").replace(" ", "")
    assert "************0001" in text  # the last four digits, as masked numbers show them


async def test_a_citizen_not_registered_at_a_kiosk_prints_their_letter_but_cannot_hand_it_over(
    kiosk: Kiosk,
) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=False)
    notice_id = await kiosk.notice(citizen_id)
    _, officer = kiosk.officer()

    own = await kiosk.printed(
        f"/citizens/{citizen_id}/letters/{notice_id}.pdf", kiosk.citizen(citizen_id)
    )
    assisted = await kiosk.printed(
        f"/citizens/{citizen_id}/letters/{notice_id}.pdf", kiosk.assisted(citizen_id, uuid.uuid4())
    )
    by_officer_alone = await kiosk.client.get(
        f"{KIOSK}/citizens/{citizen_id}/letters/{notice_id}.pdf", headers=officer
    )
    handed_by_citizen = await kiosk.hand_over(citizen_id, notice_id, kiosk.citizen(citizen_id))

    assert "Permohonan izin PBG disetujui" in own
    assert "Permohonan izin PBG disetujui" in assisted
    assert_problem(by_officer_alone, 403, "not_registered_at_kiosk")
    assert_problem(handed_by_citizen, 403, "handover_by_officer_only")


async def test_a_citizen_sees_no_other_citizens_letters(kiosk: Kiosk) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=True)
    notice_id = await kiosk.notice(citizen_id)
    other = await kiosk.citizen_registered(at_kiosk=True)
    letters = f"{KIOSK}/citizens/{citizen_id}/letters"

    for who in (kiosk.citizen(other), kiosk.assisted(other, uuid.uuid4())):
        assert_problem(await kiosk.client.get(letters, headers=who), 404, "not_found")
        assert_problem(
            await kiosk.client.get(f"{letters}/{notice_id}.pdf", headers=who), 404, "not_found"
        )
        assert_problem(await kiosk.hand_over(citizen_id, notice_id, who), 404, "not_found")
    # Their own path does not reach it either.
    assert_problem(
        await kiosk.client.get(
            f"{KIOSK}/citizens/{other}/letters/{notice_id}.pdf", headers=kiosk.citizen(other)
        ),
        404,
        "not_found",
    )


async def test_only_information_officers_and_the_citizens_token_open_the_letters(
    kiosk: Kiosk,
) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=True)
    notice_id = await kiosk.notice(citizen_id)
    letters = f"{KIOSK}/citizens/{citizen_id}/letters"
    _, clinic_officer = kiosk.officer("clinic_officer")
    agency = kiosk.auth_headers("agency-bank", roles=[], scopes=["monitoring:read"])
    _, information_officer = kiosk.officer()

    for who in (clinic_officer, agency):
        assert_problem(await kiosk.client.get(letters, headers=who), 403, "forbidden")
        assert_problem(
            await kiosk.client.get(f"{letters}/{notice_id}.pdf", headers=who), 403, "forbidden"
        )
        assert_problem(await kiosk.hand_over(citizen_id, notice_id, who), 403, "forbidden")
    for who in (kiosk.citizen(citizen_id), clinic_officer):
        assert_problem(await kiosk.client.get(f"{KIOSK}/citizens", headers=who), 403, "forbidden")
    assert_problem(await kiosk.client.get(letters), 401, "unauthorized")
    unknown = await kiosk.client.get(
        f"{KIOSK}/citizens/{uuid.uuid4()}/letters", headers=information_officer
    )
    assert_problem(unknown, 404, "not_found")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/citizens/not-a-uuid/letters", None),
        ("/citizens/{citizen}/letters/not-a-uuid.pdf", None),
        ("/citizens/{citizen}/letters?cursor=bm90LW91cnM", None),
        ("/citizens/{citizen}/letters/handover", {"notice_ids": []}),
        ("/citizens/{citizen}/letters/handover", {"notice_ids": ["{notice}", "{notice}"]}),
        ("/citizens/{citizen}/letters/handover", {"notice_ids": ["x"]}),
        ("/citizens/{citizen}/letters/handover", {"notice_ids": ["{notice}"], "by": "me"}),
        ("/citizens/{citizen}/letters/handover", {"notice_ids": ["{notice}"] * 101}),
    ],
)
async def test_hostile_input_is_refused_with_a_problem(
    kiosk: Kiosk, path: str, body: dict[str, Any] | None
) -> None:
    citizen_id = await kiosk.citizen_registered(at_kiosk=True)
    notice_id = await kiosk.notice(citizen_id)
    _, officer = kiosk.officer()
    url = KIOSK + path.format(citizen=citizen_id)
    if body is None:
        response = await kiosk.client.get(url, headers=officer)
    else:
        ids = [value.format(notice=notice_id) for value in body["notice_ids"]]
        response = await kiosk.client.post(url, json={**body, "notice_ids": ids}, headers=officer)

    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert (await kiosk.letters(citizen_id, officer))[0]["status"] == "pending"


async def test_the_waiting_list_pages_by_who_waited_longest(kiosk: Kiosk) -> None:
    _, officer = kiosk.officer()
    citizens = [await kiosk.citizen_registered(at_kiosk=True) for _ in range(3)]
    for days_ago, citizen_id in zip((300, 200, 100), citizens, strict=True):
        await kiosk.notice(citizen_id, days_ago=days_ago)
    not_at_kiosk = await kiosk.citizen_registered(at_kiosk=False)
    await kiosk.notice(not_at_kiosk, days_ago=400)

    seen: list[str] = []
    url: str | None = f"{KIOSK}/citizens?limit=2"
    while url is not None:
        response = await kiosk.client.get(url, headers=officer)
        assert response.status_code == 200, response.text
        seen += [citizen["account_id"] for citizen in response.json()]
        url = response.links.get("next", {}).get("url")

    ours = [account for account in seen if account in {str(c) for c in citizens}]
    assert ours == [str(c) for c in citizens]
    assert str(not_at_kiosk) not in seen
    assert len(seen) == len(set(seen))
