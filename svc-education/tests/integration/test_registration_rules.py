"""Every registration rule on real PostgreSQL: each refusal with its own code and a message a
parent can read (in Indonesian, or in English when asked), and the edge each rule just lets
through.

The period: registration 2 to 20 June 2027 (Jakarta), ages on 1 July 2027, today 10 June.
"""

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from kota_shared.messages import _ as shared
from kota_shared.problems import ValidationFailed
from kota_shared.testing.problems import assert_problem as assert_shared_problem
from kota_shared.testing.waiting import eventually

Admissions = Any  # the `admissions` fixture's driver (conftest)


ENGLISH = {"Accept-Language": "en"}


def assert_problem(
    response: Any, status: int, code: str, *, language: str = "id"
) -> dict[str, Any]:
    """The shared checks, and the language the refusal is written in."""
    problem = assert_shared_problem(response, status, code)
    assert response.headers["content-language"] == language
    return problem


def field_messages(problem: dict[str, Any]) -> dict[str, str]:
    return {error["field"]: error["message"] for error in problem["errors"]}


@pytest.mark.parametrize(
    "now",
    [
        datetime(2027, 6, 1, 16, 59, tzinfo=UTC),  # 23:59 on 1 June in Jakarta: not yet
        datetime(2027, 6, 20, 17, 0, tzinfo=UTC),  # 00:00 on 21 June in Jakarta: over
        datetime(2028, 1, 5, tzinfo=UTC),
    ],
)
async def test_outside_the_period_registration_is_closed(
    admissions: Admissions, during_registration: Any, now: datetime
) -> None:
    during_registration.fixed = now

    response = await admissions.register(admissions.parent())
    english = await admissions.register({**admissions.parent(), **ENGLISH})

    problem = assert_problem(response, 409, "registration_period_closed")
    assert problem["title"] == "Pendaftaran SPMB sedang tidak dibuka."
    assert problem["detail"] == (
        "Pendaftaran untuk tahun ajaran 2027/2028 dibuka mulai 2 Juni 2027 sampai dengan "
        "20 Juni 2027."
    )
    assert (problem["opens_on"], problem["closes_on"]) == ("2027-06-02", "2027-06-20")
    problem = assert_problem(english, 409, "registration_period_closed", language="en")
    assert problem["title"] == "School admission registration is not open now."
    assert problem["detail"] == (
        "Registration for the 2027/2028 school year is open from 2 June 2027 to 20 June 2027."
    )
    assert (problem["opens_on"], problem["closes_on"]) == ("2027-06-02", "2027-06-20")


@pytest.mark.parametrize(
    "now",
    [
        datetime(2027, 6, 1, 17, 0, tzinfo=UTC),  # the first minute, in Jakarta
        datetime(2027, 6, 20, 16, 59, tzinfo=UTC),  # the last minute, in Jakarta
    ],
)
async def test_the_first_and_last_local_minutes_are_open(
    admissions: Admissions, during_registration: Any, now: datetime
) -> None:
    during_registration.fixed = now

    assert (await admissions.register(admissions.parent())).status_code == 201


async def test_an_unknown_school_is_refused(admissions: Admissions) -> None:
    response = await admissions.register(admissions.parent(), school_npsn="99999999")

    problem = assert_problem(response, 422, "unknown_school")
    assert problem["detail"] == "Tidak ada sekolah di kota ini dengan NPSN 99999999."
    assert field_messages(problem) == {"body.school_npsn": "Sekolah tidak ditemukan."}


async def test_prestasi_is_not_offered_at_sd(admissions: Admissions) -> None:
    response = await admissions.register(
        admissions.parent(),
        school_npsn=admissions.sd,
        birth_date="2020-09-14",
        pathway="prestasi",
        achievement_score=90,
    )

    problem = assert_problem(response, 422, "pathway_not_offered")
    assert problem["detail"] == (
        "Jenjang SD menerima murid baru melalui jalur domisili, afirmasi, dan mutasi."
    )
    assert field_messages(problem) == {"body.pathway": "Tidak tersedia untuk jenjang SD."}
    assert problem["offered"] == ["domisili", "afirmasi", "mutasi"]


async def test_levels_and_pathways_are_named_in_english_when_asked(
    admissions: Admissions,
) -> None:
    parent = admissions.parent()
    response = await admissions.client.post(
        admissions.url,
        json=admissions.body_for(
            parent,
            school_npsn=admissions.sd,
            birth_date="2020-09-14",
            pathway="prestasi",
            achievement_score=90,
        ),
        headers={**parent, "Accept-Language": "en-GB,en;q=0.9"},
    )

    problem = assert_problem(response, 422, "pathway_not_offered", language="en")
    assert problem["detail"] == (
        "At primary school (SD), pupils are admitted through these pathways: residence "
        "(domisili), affirmative action (afirmasi) and parent's transfer (mutasi)."
    )
    assert field_messages(problem) == {"body.pathway": "Not offered at primary school (SD)."}
    assert problem["offered"] == ["domisili", "afirmasi", "mutasi"]


async def test_prestasi_needs_a_score_and_only_prestasi_takes_one(admissions: Admissions) -> None:
    missing = await admissions.register(admissions.parent(), pathway="prestasi")
    extra = await admissions.register(admissions.parent(), pathway="afirmasi", achievement_score=80)
    scored = await admissions.register(
        admissions.parent(), pathway="prestasi", achievement_score=87.25
    )

    problem = assert_problem(missing, 422, "achievement_score_required")
    assert field_messages(problem) == {
        "body.achievement_score": "Wajib diisi untuk jalur prestasi."
    }
    problem = assert_problem(extra, 422, "achievement_score_not_applicable")
    assert problem["detail"] == "Kosongkan nilai prestasi untuk jalur afirmasi."
    assert field_messages(problem) == {
        "body.achievement_score": "Tidak digunakan pada jalur afirmasi."
    }
    assert scored.status_code == 201, scored.text
    assert scored.json()["achievement_score"] == 87.25


async def test_a_family_card_issued_less_than_a_year_ago_is_refused(admissions: Admissions) -> None:
    too_recent = await admissions.register(admissions.parent(), family_card_issued_on="2026-06-11")
    a_year_to_the_day = await admissions.register(
        admissions.parent(), family_card_issued_on="2026-06-10"
    )

    problem = assert_problem(too_recent, 422, "family_card_too_recent")
    assert problem["detail"] == (
        "Kartu Keluarga ini diterbitkan pada 11 Juni 2026; kartu ini dapat digunakan untuk "
        "mendaftar mulai 11 Juni 2027."
    )
    assert problem["usable_from"] == "2027-06-11"
    assert a_year_to_the_day.status_code == 201, a_year_to_the_day.text


async def test_the_family_card_year_counts_to_the_local_day(
    admissions: Admissions, during_registration: Any
) -> None:
    # 20:00 UTC on 9 June is already 10 June in Jakarta: a card of 10 June 2026 counts.
    during_registration.fixed = datetime(2027, 6, 9, 20, 0, tzinfo=UTC)

    response = await admissions.register(admissions.parent(), family_card_issued_on="2026-06-10")

    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("school", "birth_date", "recommended", "status", "code"),
    [
        # SD: 6 on 1 July 2027, or 5½ with a psychologist's recommendation.
        ("sd", "2021-07-01", False, 201, None),
        ("sd", "2021-07-02", False, 422, "psychologist_recommendation_required"),
        ("sd", "2021-07-02", True, 201, None),
        ("sd", "2022-01-01", True, 201, None),
        ("sd", "2022-01-02", True, 422, "student_too_young"),
        ("sd", "2023-03-03", False, 422, "student_too_young"),
        # SMP: at most 15, SMA: at most 21, on 1 July 2027.
        ("smp", "2011-07-02", False, 201, None),
        ("smp", "2011-07-01", False, 422, "student_too_old"),
        ("sma", "2005-07-02", False, 201, None),
        ("sma", "2005-07-01", True, 422, "student_too_old"),
    ],
)
async def test_age_at_the_reference_date(
    admissions: Admissions,
    school: str,
    birth_date: str,
    recommended: bool,
    status: int,
    code: str | None,
) -> None:
    response = await admissions.register(
        admissions.parent(),
        school_npsn=getattr(admissions, school),
        birth_date=birth_date,
        psychologist_recommendation=recommended,
    )

    if code is None:
        assert response.status_code == status, response.text
        assert response.json()["psychologist_recommendation"] is recommended
    else:
        problem = assert_problem(response, status, code)
        assert problem["age_reference_date"] == "2027-07-01"


async def test_age_messages_say_how_old_the_child_will_be(admissions: Admissions) -> None:
    young = await admissions.register(
        admissions.parent(), school_npsn=admissions.sd, birth_date="2022-03-15"
    )
    old = await admissions.register(
        admissions.parent(), school_npsn=admissions.smp, birth_date="2011-02-01"
    )

    problem = assert_problem(young, 422, "student_too_young")
    assert problem["detail"] == (
        "Pada 1 Juli 2027, usia anak 5 tahun 3 bulan; SD menerima anak mulai usia 6 tahun, "
        "atau mulai usia 5 tahun 6 bulan dengan rekomendasi psikolog."
    )
    assert problem["age_at_reference_date"] == {"years": 5, "months": 3}
    problem = assert_problem(old, 422, "student_too_old")
    assert problem["detail"] == (
        "Pada 1 Juli 2027, usia anak 16 tahun 5 bulan; SMP menerima anak berusia paling "
        "tinggi 15 tahun."
    )


async def test_age_messages_in_english_when_asked(admissions: Admissions) -> None:
    english = {**admissions.parent(), **ENGLISH}
    young = await admissions.register(english, school_npsn=admissions.sd, birth_date="2022-03-15")
    needs = await admissions.register(english, school_npsn=admissions.sd, birth_date="2021-08-20")
    old = await admissions.register(english, school_npsn=admissions.sma, birth_date="2005-07-01")

    problem = assert_problem(young, 422, "student_too_young", language="en")
    assert problem["detail"] == (
        "On 1 July 2027 the child will be 5 years 3 months old; primary school (SD) admits "
        "children from 6 years, or from 5 years 6 months with a psychologist's recommendation."
    )
    problem = assert_problem(needs, 422, "psychologist_recommendation_required", language="en")
    assert problem["detail"] == (
        "On 1 July 2027 the child will be 5 years 10 months old. Register again with the "
        "psychologist's recommendation once a psychologist recommends the child."
    )
    problem = assert_problem(old, 422, "student_too_old", language="en")
    assert problem["detail"] == (
        "On 1 July 2027 the child will be 22 years old; senior secondary school (SMA) admits "
        "children up to 21 years."
    )


async def test_a_child_needing_a_recommendation_is_told_in_indonesian(
    admissions: Admissions,
) -> None:
    response = await admissions.register(
        admissions.parent(), school_npsn=admissions.sd, birth_date="2021-08-20"
    )

    problem = assert_problem(response, 422, "psychologist_recommendation_required")
    assert problem["title"] == (
        "Anak di bawah 6 tahun dapat masuk SD mulai usia 5½ tahun hanya dengan rekomendasi "
        "psikolog."
    )
    assert problem["detail"] == (
        "Pada 1 Juli 2027, usia anak 5 tahun 10 bulan. Silakan mendaftar kembali dengan "
        "rekomendasi psikolog setelah anak mendapatkan rekomendasi dari psikolog."
    )


async def test_a_birth_date_in_the_future_is_refused(admissions: Admissions) -> None:
    response = await admissions.register(admissions.parent(), birth_date="2027-06-11")

    # The registry's date, not the parent's: a record being corrected, refused plainly.
    problem = assert_problem(response, 422, "validation_failed")
    assert problem["detail"] == "Tanggal lahir tidak boleh setelah hari ini."


async def test_the_request_model_refuses_in_indonesian(admissions: Admissions) -> None:
    body = admissions.body(achievement_score="sembilan puluh")
    del body["pathway"]

    response = await admissions.client.post(admissions.url, json=body, headers=admissions.parent())

    problem = assert_problem(response, 422, "validation_failed")
    # Pydantic's own messages, as the shared library's catalogue translates them.
    assert problem["title"] == ValidationFailed.title.render("id")
    messages = field_messages(problem)
    assert messages["body.pathway"] == shared("Field required").render("id")
    assert messages["body.pathway"] != "Field required"
    not_a_number = shared("Input should be a valid decimal").render("id")
    assert messages["body.achievement_score"] == not_a_number
    assert messages["body.achievement_score"] != "Input should be a valid decimal"


async def test_a_child_registered_by_another_parent_is_409_without_saying_whose(
    admissions: Admissions,
) -> None:
    mother, father = admissions.parent("citizen-first-parent"), admissions.parent()
    body = admissions.body_for(mother)
    first = (await admissions.client.post(admissions.url, json=body, headers=mother)).json()
    admissions.same_family(mother, father)

    response = await admissions.client.post(
        admissions.url, json={**body, "school_npsn": admissions.sma}, headers=father
    )

    problem = assert_problem(response, 409, "student_already_registered")
    assert problem["detail"] == (
        "Anggota lain pada Kartu Keluarga (KK) anak ini sudah mendaftarkannya; salah satu dari "
        "Anda dapat membatalkan pendaftaran tersebut untuk memilih kembali."
    )
    for secret in ("citizen-first-parent", first["id"], admissions.smp, "SMP"):
        assert secret not in response.text


async def test_the_same_parent_is_told_which_registration_they_made(
    admissions: Admissions,
) -> None:
    parent = admissions.parent()
    body = admissions.body_for(parent)
    first = (await admissions.client.post(admissions.url, json=body, headers=parent)).json()

    response = await admissions.client.post(admissions.url, json=body, headers=parent)

    problem = assert_problem(response, 409, "student_already_registered")
    assert problem["detail"] == (
        "Anda sudah mendaftarkan anak ini; batalkan pendaftaran tersebut untuk memilih kembali."
    )
    assert problem["registration_id"] == first["id"]


async def test_two_parents_registering_one_child_at_once_one_wins(admissions: Admissions) -> None:
    first = admissions.parent()
    body = admissions.body_for(first)
    family = [first, *(admissions.parent() for _ in range(3))]
    for member in family[1:]:
        admissions.same_family(first, member)

    responses = await asyncio.gather(
        *(admissions.client.post(admissions.url, json=body, headers=who) for who in family)
    )

    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
    for response in responses:
        if response.status_code == 409:
            assert response.json()["code"] == "student_already_registered"


async def test_a_rule_is_explained_in_indonesian_when_asked(admissions: Admissions) -> None:
    parent = admissions.parent()
    response = await admissions.client.post(
        admissions.url,
        json=admissions.body_for(parent, family_card_issued_on="2027-01-01"),
        headers={**parent, "Accept-Language": "id-ID,id;q=0.9,en;q=0.5"},
    )

    problem = assert_problem(response, 422, "family_card_too_recent")
    assert problem["title"] == (
        "Kartu Keluarga (KK) harus diterbitkan paling singkat satu tahun sebelum pendaftaran."
    )
    assert problem["detail"].startswith("Kartu Keluarga ini diterbitkan pada 1 Januari 2027;")
    assert response.headers["vary"] == "Accept-Language"


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [("en", "en"), ("en-US", "en"), ("en;q=0.1, id;q=0.9", "id"), ("fr, de", "id")],
)
async def test_a_rule_is_explained_in_the_language_asked_for(
    admissions: Admissions, accept_language: str, language: str
) -> None:
    parent = admissions.parent()
    response = await admissions.client.post(
        admissions.url,
        json=admissions.body_for(parent, family_card_issued_on="2026-12-31"),
        headers={**parent, "Accept-Language": accept_language},
    )

    problem = assert_problem(response, 422, "family_card_too_recent", language=language)
    detail = {
        "id": "Kartu Keluarga ini diterbitkan pada 31 Desember 2026; kartu ini dapat digunakan "
        "untuk mendaftar mulai 31 Desember 2027.",
        "en": "This family card was issued on 31 December 2026; it can be used to register "
        "from 31 December 2027.",
    }[language]
    assert problem["detail"] == detail


async def test_the_database_refuses_the_second_of_two_that_both_passed_the_check(
    admissions: Admissions, education_app: FastAPI
) -> None:
    """A registration of the same child, inserted but not yet committed, is invisible to the
    service's own check: the partial unique index makes the second insert wait, then fail."""
    parent = admissions.parent()
    body = admissions.body_for(parent)
    sessionmaker = education_app.state.sessionmaker
    async with sessionmaker() as held, held.begin():
        held.add(
            admissions.row(
                student_nisn=body["student_nisn"],
                student_nik=body["student_nik"],
                parent_id="citizen-at-another-desk",
                admission_year=admissions.year,
            )
        )
        await held.flush()
        racing = asyncio.create_task(
            admissions.client.post(admissions.url, json=body, headers=parent)
        )

        async def inserts_waiting_on_a_lock() -> int:
            async with sessionmaker() as probe:
                waiting = await probe.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO registrations%'"
                    )
                )
            return int(waiting or 0)

        await eventually(inserts_waiting_on_a_lock, what="the racing insert to wait on the index")
    # The held registration is committed now; the racing one finds it and gives way.
    response = await racing

    assert_problem(response, 409, "student_already_registered")
    assert "registration_id" not in response.json()  # not the caller's: nothing said of whose
