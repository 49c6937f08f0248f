"""The family card (KK) decides who registers whom: the child, their name and birth date, the
card's number and issue date and the home come from the parent's own card, read through the
gateway (`FamilyCardDesk` here), never from the request; a family card holds a limited number
of active registrations; and a school officer records the documents checked against it.

The period: registration 2 to 20 June 2027 (Jakarta), today 10 June; the SMP's desk is at
`admissions.smp_location`.
"""

import asyncio
import copy
import math
import uuid
from collections.abc import Iterable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from education.registrations.models import Registration, Status
from kota_contracts.education import RegistrationVerified
from kota_shared.testing.problems import assert_problem

Admissions = Any  # the `admissions` fixture's driver (conftest)

EARTH_MEAN_RADIUS_M = 6_371_008.8


def metres_north(degrees: float) -> int:
    """The distance of a home due north (or south) of the school by ``degrees`` of latitude:
    on one meridian the great circle is the arc, whatever formula the service uses."""
    return round(EARTH_MEAN_RADIUS_M * math.radians(abs(degrees)))


def new_nik() -> str:
    return f"3671{uuid.uuid4().int % 10**12:012d}"


async def rows(
    education_app: FastAPI,
    *,
    student_nik: str | None = None,
    family_card_number: str | None = None,
    active_only: bool = False,
) -> list[Registration]:
    query = select(Registration)
    if student_nik is not None:
        query = query.where(Registration.student_nik == student_nik)
    if family_card_number is not None:
        query = query.where(Registration.family_card_number == family_card_number)
    if active_only:
        query = query.where(Registration.status == Status.SUBMITTED)
    async with education_app.state.sessionmaker() as session:
        return list((await session.scalars(query)).all())


async def registrations_stored(education_app: FastAPI) -> int:
    async with education_app.state.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Registration)) or 0)


async def post(admissions: Admissions, who: dict[str, str], body: dict[str, Any]) -> httpx.Response:
    response: httpx.Response = await admissions.client.post(admissions.url, json=body, headers=who)
    return response


def card_with_children(admissions: Admissions, who: dict[str, str], count: int) -> list[str]:
    """Put ``count`` children on the parent's card; their NIKs, in order."""
    niks = [new_nik() for _ in range(count)]
    for nik in niks:
        admissions.put_on_card(who, nik)
    return niks


def stored_nik(admissions: Admissions, parent: dict[str, str]) -> str:
    """The NIK of the (only) child the driver put on the parent's card."""
    card = admissions.family_cards.cards[admissions.subject(parent)]
    nik: str = next(m["nik"] for m in card["members"] if m["relationship"] == "ANAK")
    return nik


# --- the child and the home are the card's -------------------------------------------------


async def test_the_registration_is_the_childs_and_the_homes_as_the_card_lists_them(
    admissions: Admissions, education_app: FastAPI
) -> None:
    parent = admissions.parent()
    child_nik = new_nik()
    home = (round(admissions.smp_location[0] - 0.0123, 6), admissions.smp_location[1])
    admissions.put_on_card(
        parent,
        child_nik,
        student_name="PUTRI AYU LESTARI",
        birth_date="2013-09-17",
        family_card_number="3671015501190007",
        family_card_issued_on="2019-01-15",
        home_latitude=home[0],
        home_longitude=home[1],
    )

    response = await post(admissions, parent, admissions.body(student_nik=child_nik))

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["student_name"] == "PUTRI AYU LESTARI"
    assert created["birth_date"] == "2013-09-17"
    assert created["family_card_number"] == "************0007"
    assert "3671015501190007" not in response.text
    assert created["family_card_issued_on"] == "2019-01-15"
    assert (created["home_latitude"], created["home_longitude"]) == home
    assert created["distance_m"] == metres_north(0.0123) == 1368
    (stored,) = await rows(education_app, student_nik=child_nik)
    assert str(stored.id) == created["id"]
    assert stored.family_card_number == "3671015501190007"  # whole in the record
    assert stored.student_name == "PUTRI AYU LESTARI"
    assert stored.birth_date.isoformat() == "2013-09-17"
    assert stored.family_card_issued_on.isoformat() == "2019-01-15"
    assert (float(stored.home_latitude), float(stored.home_longitude)) == home
    assert stored.distance_m == 1368
    assert admissions.family_cards.calls[-1] == admissions.subject(parent)


async def test_a_child_on_another_familys_card_cannot_be_registered_by_a_stranger(
    admissions: Admissions, education_app: FastAPI
) -> None:
    real_parent, squatter = admissions.parent(), admissions.parent()
    child_nik = new_nik()
    admissions.put_on_card(real_parent, child_nik)
    admissions.put_on_card(squatter, new_nik())  # the squatter has a card, with a child of theirs
    body = admissions.body(student_nik=child_nik)

    taken = await post(admissions, squatter, body)

    problem = assert_problem(taken, 422, "student_not_on_family_card")
    assert [e["field"] for e in problem["errors"]] == ["body.student_nik"]
    assert await rows(education_app, student_nik=child_nik) == []
    # The family's own parent registers the child as if nothing had happened.
    own = await post(admissions, real_parent, body)
    assert own.status_code == 201, own.text
    assert own.json()["parent_id"] == admissions.subject(real_parent)


async def test_a_nik_on_another_card_and_a_nik_on_no_card_get_the_same_answer(
    admissions: Admissions,
) -> None:
    someone, squatter = admissions.parent(), admissions.parent()
    on_another_card = new_nik()
    admissions.put_on_card(someone, on_another_card)
    admissions.put_on_card(squatter, new_nik())

    elsewhere = await post(admissions, squatter, admissions.body(student_nik=on_another_card))
    nowhere = await post(admissions, squatter, admissions.body(student_nik=new_nik()))

    assert_problem(elsewhere, 422, "student_not_on_family_card")
    assert_problem(nowhere, 422, "student_not_on_family_card")
    same = ("status", "code", "type", "title", "detail", "errors")
    assert {k: elsewhere.json().get(k) for k in same} == {k: nowhere.json().get(k) for k in same}


@pytest.mark.parametrize("relationship", ["KEPALA KELUARGA", "ISTRI", "SUAMI"])
async def test_a_parent_on_the_card_is_not_a_child_to_register(
    admissions: Admissions, education_app: FastAPI, relationship: str
) -> None:
    parent = admissions.parent()
    card = admissions.put_on_card(parent, new_nik())
    adult_nik = new_nik()
    card["members"].append(
        {
            "nik": adult_nik,
            "full_name": "RINA MARLINA",
            "birth_date": "2014-01-01",  # even one whose age would fit the school
            "sex": "female",
            "relationship": relationship,
        }
    )
    head_nik = next(m["nik"] for m in card["members"] if m["relationship"] == "KEPALA KELUARGA")
    nik = head_nik if relationship == "KEPALA KELUARGA" else adult_nik

    response = await post(admissions, parent, admissions.body(student_nik=nik))

    assert_problem(response, 422, "student_not_on_family_card")
    assert await rows(education_app, student_nik=nik) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("home_latitude", -6.178306),
        ("home_longitude", 106.631467),
        ("family_card_number", "3671010403180002"),
        ("birth_date", "2014-05-20"),
        ("family_card_issued_on", "2018-03-04"),
        ("student_name", "SITI RAHMAWATI"),
    ],
)
async def test_what_the_card_says_cannot_be_typed_in(
    admissions: Admissions, education_app: FastAPI, field: str, value: Any
) -> None:
    parent = admissions.parent()
    child_nik = new_nik()
    admissions.put_on_card(parent, child_nik)

    response = await post(
        admissions, parent, {**admissions.body(student_nik=child_nik), field: value}
    )

    problem = assert_problem(response, 422, "validation_failed")
    assert [(e["field"], e["type"]) for e in problem["errors"]] == [
        (f"body.{field}", "extra_forbidden")
    ]
    assert await rows(education_app, student_nik=child_nik) == []


async def test_a_home_far_from_the_school_stays_far_whatever_the_body_says(
    admissions: Admissions, education_app: FastAPI
) -> None:
    parent = admissions.parent()
    child_nik = new_nik()
    school_latitude, school_longitude = admissions.smp_location
    far = round(school_latitude + 0.045, 6)  # 5 km north, in another kelurahan
    admissions.put_on_card(parent, child_nik, home_latitude=far, home_longitude=school_longitude)
    body = admissions.body(student_nik=child_nik)

    at_the_gate = await post(
        admissions,
        parent,
        {**body, "home_latitude": school_latitude, "home_longitude": school_longitude},
    )
    registered = await post(admissions, parent, body)

    assert_problem(at_the_gate, 422, "validation_failed")
    assert registered.status_code == 201, registered.text
    assert registered.json()["distance_m"] == metres_north(0.045) == 5004
    assert registered.json()["home_latitude"] == far
    (stored,) = await rows(education_app, student_nik=child_nik)
    assert stored.distance_m == 5004
    assert float(stored.home_latitude) == far


# --- when the card cannot be used ---------------------------------------------------------


async def test_a_card_whose_address_has_no_location_cannot_measure_a_distance(
    admissions: Admissions, education_app: FastAPI
) -> None:
    parent = admissions.parent()
    child_nik = new_nik()
    card = admissions.put_on_card(parent, child_nik)
    card["address"] = {
        k: v for k, v in card["address"].items() if k not in ("latitude", "longitude")
    }
    body = admissions.body(student_nik=child_nik)

    without = await post(admissions, parent, body)
    card["address"]["latitude"] = None  # said as null: the same
    card["address"]["longitude"] = None
    null = await post(admissions, parent, body)

    assert_problem(without, 422, "home_not_located")
    assert_problem(null, 422, "home_not_located")
    assert await rows(education_app, student_nik=child_nik) == []


async def test_a_parent_with_no_family_card_registers_no_one(
    admissions: Admissions, education_app: FastAPI
) -> None:
    parent = admissions.parent()
    assert admissions.subject(parent) not in admissions.family_cards.cards
    before = await registrations_stored(education_app)

    response = await post(admissions, parent, admissions.body())

    assert_problem(response, 422, "no_family_card")
    assert admissions.family_cards.calls[-1] == admissions.subject(parent)
    assert await registrations_stored(education_app) == before


async def test_a_token_the_gateway_knows_no_citizen_for_registers_no_one(
    admissions: Admissions, education_app: FastAPI
) -> None:
    """The gateway's 403 (the token's account removed since it was issued): no family."""
    parent = admissions.parent()
    admissions.put_on_card(parent, child_nik := admissions.body()["student_nik"])
    admissions.family_cards.status = 403

    response = await post(admissions, parent, admissions.body(student_nik=child_nik))

    assert_problem(response, 422, "no_family_card")
    assert await rows(education_app, student_nik=child_nik) == []


@pytest.mark.parametrize("desk_status", [503, 500, 502])
async def test_a_registry_that_cannot_answer_is_a_503_to_retry_and_stores_nothing(
    admissions: Admissions, education_app: FastAPI, desk_status: int
) -> None:
    parent = admissions.parent()
    child_nik = new_nik()
    admissions.put_on_card(parent, child_nik)
    body = admissions.body(student_nik=child_nik)
    before = await registrations_stored(education_app)
    admissions.family_cards.status = desk_status

    response = await post(admissions, parent, body)

    assert_problem(response, 503, "family_card_unavailable")
    assert response.headers["retry-after"] == "60"
    assert response.json()["retry_after"] == 60
    assert await registrations_stored(education_app) == before
    assert await rows(education_app, student_nik=child_nik) == []
    # Once the registry answers again, the same request goes through.
    admissions.family_cards.status = 200
    again = await post(admissions, parent, body)
    assert again.status_code == 201, again.text


async def test_a_card_answer_that_is_not_a_family_card_is_unavailable_not_a_guess(
    admissions: Admissions, education_app: FastAPI
) -> None:
    parent = admissions.parent()
    child_nik = new_nik()
    card = admissions.put_on_card(parent, child_nik)
    del card["issued_on"]

    response = await post(admissions, parent, admissions.body(student_nik=child_nik))

    assert_problem(response, 503, "family_card_unavailable")
    assert await rows(education_app, student_nik=child_nik) == []


@pytest.mark.parametrize(
    ("issued_on", "status"),
    [("2026-06-11", 422), ("2026-06-10", 201), ("2027-01-01", 422)],
)
async def test_the_one_year_rule_reads_the_cards_issue_date(
    admissions: Admissions, issued_on: str, status: int
) -> None:
    parent = admissions.parent()
    child_nik = new_nik()
    admissions.put_on_card(parent, child_nik, family_card_issued_on=issued_on)

    response = await post(admissions, parent, admissions.body(student_nik=child_nik))

    assert response.status_code == status, response.text
    if status == 422:
        problem = assert_problem(response, 422, "family_card_too_recent")
        year, rest = issued_on.split("-", 1)
        assert problem["usable_from"] == f"{int(year) + 1}-{rest}"
    else:
        assert response.json()["family_card_issued_on"] == issued_on


# --- one family card, a limited number of registrations ------------------------------------


async def test_a_family_card_holds_four_active_registrations_and_a_withdrawal_frees_one(
    admissions: Admissions, education_app: FastAPI
) -> None:
    parent = admissions.parent()
    niks = card_with_children(admissions, parent, 5)
    card_number = admissions.family_cards.cards[admissions.subject(parent)]["number"]

    first_four = [await post(admissions, parent, admissions.body(student_nik=n)) for n in niks[:4]]
    fifth = await post(admissions, parent, admissions.body(student_nik=niks[4]))

    assert [r.status_code for r in first_four] == [201] * 4
    problem = assert_problem(fifth, 409, "family_registration_limit")
    assert problem["max_active_registrations"] == 4
    assert len(await rows(education_app, family_card_number=card_number)) == 4

    withdrawn = await admissions.withdraw(parent, first_four[0].json()["id"])
    assert withdrawn.status_code == 200, withdrawn.text
    again = await post(admissions, parent, admissions.body(student_nik=niks[4]))
    assert again.status_code == 201, again.text
    active = await rows(education_app, family_card_number=card_number, active_only=True)
    assert sorted(r.student_nik or "" for r in active) == sorted(niks[1:])


async def test_two_parents_of_one_card_registering_at_once_stop_at_the_limit(
    admissions: Admissions, education_app: FastAPI
) -> None:
    father, mother = admissions.parent(), admissions.parent()
    niks = card_with_children(admissions, father, 6)
    card = admissions.family_cards.cards[admissions.subject(father)]
    admissions.family_cards.cards[admissions.subject(mother)] = card  # the same card

    responses = await asyncio.gather(
        *(
            post(admissions, (father, mother)[i % 2], admissions.body(student_nik=nik))
            for i, nik in enumerate(niks)
        )
    )

    assert sorted(r.status_code for r in responses) == [201] * 4 + [409] * 2
    for response in responses:
        if response.status_code == 409:
            assert response.json()["code"] == "family_registration_limit"
    stored = await rows(education_app, family_card_number=card["number"], active_only=True)
    assert len(stored) == 4


async def test_the_other_parent_cannot_register_the_same_child_again(
    admissions: Admissions, education_app: FastAPI
) -> None:
    father, mother = admissions.parent(), admissions.parent()
    (child_nik,) = card_with_children(admissions, father, 1)
    admissions.family_cards.cards[admissions.subject(mother)] = copy.deepcopy(
        admissions.family_cards.cards[admissions.subject(father)]
    )
    created = await post(admissions, father, admissions.body(student_nik=child_nik))
    assert created.status_code == 201, created.text

    again = await post(
        admissions, mother, admissions.body(student_nik=child_nik, school_npsn=admissions.sma)
    )

    problem = assert_problem(again, 409, "student_already_registered")
    assert "registration_id" not in problem  # not the mother's: not told which
    assert created.json()["id"] not in again.text
    assert len(await rows(education_app, student_nik=child_nik)) == 1


# --- verification at the school ------------------------------------------------------------


def verification_url(admissions: Admissions, registration_id: str) -> str:
    return f"{admissions.url}/{registration_id}/verification"


async def verify(
    admissions: Admissions,
    registration_id: str,
    who: dict[str, str] | None,
    documents: Iterable[str] = ("kartu_keluarga", "akta_kelahiran", "rapor"),
    **extra: Any,
) -> httpx.Response:
    response: httpx.Response = await admissions.client.post(
        verification_url(admissions, registration_id),
        json={"documents_checked": list(documents), **extra},
        headers=who or {},
    )
    return response


async def test_a_school_officer_records_the_documents_checked_and_it_is_announced(
    admissions: Admissions, education_app: FastAPI
) -> None:
    parent = admissions.parent()
    created = await admissions.registered(parent)
    officer = admissions.school_officer()

    response = await verify(
        admissions, created["id"], officer, note="  Asli diperiksa di loket SMP Negeri 1.  "
    )

    assert response.status_code == 200, response.text
    verified = response.json()
    assert verified["id"] == created["id"]
    assert verified["status"] == "submitted"
    assert verified["verified_at"] == "2027-06-10T03:00:00Z"
    assert verified["verified_by"] == admissions.subject(officer)
    assert verified["documents_checked"] == ["kartu_keluarga", "akta_kelahiran", "rapor"]
    assert verified["verification_note"] == "Asli diperiksa di loket SMP Negeri 1."
    (stored,) = await rows(education_app, student_nik=stored_nik(admissions, parent))
    assert stored.verified_by == admissions.subject(officer)
    assert stored.documents_checked == ["kartu_keluarga", "akta_kelahiran", "rapor"]
    assert stored.verification_note == "Asli diperiksa di loket SMP Negeri 1."
    read = await admissions.client.get(f"{admissions.url}/{created['id']}", headers=parent)
    assert read.json()["verified_at"] == "2027-06-10T03:00:00Z"

    events = await admissions.events(created["id"], RegistrationVerified.event_type)
    (event,) = [e for e in events if e["type"] == RegistrationVerified.event_type]
    assert event["subject"] == created["id"]
    assert event.data == {
        "registration_id": created["id"],
        "admission_year": 2027,
        "school_npsn": admissions.smp,
        "level": "SMP",
        "pathway": "domisili",
        "verified_by": admissions.subject(officer),
        "documents_checked": ["kartu_keluarga", "akta_kelahiran", "rapor"],
        "verified_at": "2027-06-10T03:00:00Z",
    }
    # Neither the family card nor the note nor the child travels with it.
    for secret in (created["student_nisn"], "Siti", "loket"):
        assert secret not in repr(event.data)


async def test_a_registration_is_verified_once(admissions: Admissions) -> None:
    created = await admissions.registered(admissions.parent())
    first_officer, second_officer = admissions.school_officer(), admissions.school_officer()
    first = await verify(admissions, created["id"], first_officer, documents=["kartu_keluarga"])
    assert first.status_code == 200, first.text

    second = await verify(admissions, created["id"], second_officer)

    problem = assert_problem(second, 409, "registration_already_verified")
    assert problem["verified_by"] == admissions.subject(first_officer)
    read = await admissions.client.get(
        f"{admissions.url}/{created['id']}", headers=admissions.school_officer()
    )
    assert read.json()["documents_checked"] == ["kartu_keluarga"]


async def test_only_a_school_officer_verifies(admissions: Admissions) -> None:
    parent = admissions.parent()
    created = await admissions.registered(parent)

    by_the_parent = await verify(admissions, created["id"], parent)
    by_a_stranger = await verify(admissions, created["id"], admissions.parent())
    at_a_kiosk = await verify(
        admissions, created["id"], admissions.kiosk(admissions.subject(parent), "officer-kiosk")
    )
    anonymous = await verify(admissions, created["id"], None)

    for refused in (by_the_parent, by_a_stranger, at_a_kiosk):
        assert refused.status_code == 403, refused.text
    assert anonymous.status_code == 401, anonymous.text
    read = await admissions.client.get(f"{admissions.url}/{created['id']}", headers=parent)
    assert read.json()["verified_at"] is None


@pytest.mark.parametrize(
    "documents",
    [
        ["kartu_keluarga", "kartu_keluarga"],
        [],
        ["kartu_keluarga", "surat_sakti"],
    ],
    ids=["duplicate", "empty", "unknown-kind"],
)
async def test_the_documents_named_must_be_known_and_each_once(
    admissions: Admissions, documents: list[str]
) -> None:
    parent = admissions.parent()
    created = await admissions.registered(parent)

    response = await verify(admissions, created["id"], admissions.school_officer(), documents)

    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"]
    for error in problem["errors"]:
        assert error["field"].startswith("body.documents_checked"), error
    read = await admissions.client.get(f"{admissions.url}/{created['id']}", headers=parent)
    assert read.json()["verified_at"] is None


async def test_a_withdrawn_registration_is_not_verified(admissions: Admissions) -> None:
    parent = admissions.parent()
    created = await admissions.registered(parent)
    assert (await admissions.withdraw(parent, created["id"])).status_code == 200

    response = await verify(admissions, created["id"], admissions.school_officer())

    assert_problem(response, 409, "registration_not_active")
    read = await admissions.client.get(f"{admissions.url}/{created['id']}", headers=parent)
    assert read.json()["verified_at"] is None


async def test_verifying_an_unknown_registration_is_404(admissions: Admissions) -> None:
    response = await verify(admissions, str(uuid.uuid4()), admissions.school_officer())

    assert_problem(response, 404, "not_found")


# --- at a kiosk ----------------------------------------------------------------------------


async def test_at_a_kiosk_the_child_comes_from_the_citizens_card_not_the_officers(
    admissions: Admissions,
) -> None:
    citizen, officer = f"citizen-{uuid.uuid4().hex[:8]}", f"officer-{uuid.uuid4().hex[:8]}"
    citizens_child, officers_child = new_nik(), new_nik()
    admissions.put_on_card(admissions.parent(citizen), citizens_child, student_name="BAYU SAPUTRA")
    admissions.put_on_card(admissions.parent(officer), officers_child)
    kiosk = admissions.kiosk(citizen, officer)

    registered = await post(admissions, kiosk, admissions.body(student_nik=citizens_child))
    not_theirs = await post(admissions, kiosk, admissions.body(student_nik=officers_child))

    assert registered.status_code == 201, registered.text
    created = registered.json()
    assert created["student_name"] == "BAYU SAPUTRA"
    assert created["parent_id"] == citizen
    assert created["registered_by"] == officer
    assert_problem(not_theirs, 422, "student_not_on_family_card")
    assert admissions.family_cards.calls[-2:] == [citizen, citizen]
