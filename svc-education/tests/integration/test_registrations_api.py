"""Registering a child on real PostgreSQL: the record, who sees it, who may call at all."""

import uuid
from typing import Any

import pytest
from fastapi import FastAPI

from education.admission.distance import distance_m
from education.registrations.models import Registration

URL = "/v1/education/registrations"
SMP = "20603115"
Admissions = Any  # the `admissions` fixture's driver (conftest)


async def test_a_parent_registers_a_child_and_reads_it_back(admissions: Admissions) -> None:
    parent = admissions.parent("citizen-siti-mother")
    body = admissions.body_for(parent, family_card_number="3671012309150003")

    response = await admissions.client.post(URL, json=body, headers=parent)

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "submitted"
    assert created["admission_year"] == admissions.year
    assert created["school"] == {"npsn": SMP, "name": "SMP Negeri 1 Tangerang", "level": "SMP"}
    assert created["pathway"] == "domisili"
    assert created["student_nisn"] == body["student_nisn"]
    assert created["student_name"] == "Siti Rahmawati"
    assert created["birth_date"] == "2014-05-20"
    assert created["parent_id"] == created["registered_by"] == "citizen-siti-mother"
    assert created["registered_at"] == "2027-06-10T03:00:00Z"
    assert created["withdrawn_at"] is None
    assert created["achievement_score"] is None
    # 0.001° of latitude north of the school: 111 m, as stored and as ranked.
    assert created["distance_m"] == 111
    # The family card is shown masked, never whole.
    assert created["family_card_number"] == "************0003"
    assert "3671012309150003" not in response.text

    read = await admissions.client.get(f"{URL}/{created['id']}", headers=parent)
    assert read.status_code == 200
    assert read.json() == created


async def test_the_distance_is_the_haversine_of_the_stored_coordinates(
    admissions: Admissions, education_app: FastAPI
) -> None:
    # A phone gives more decimals than are kept: the distance is of what is stored.
    created = await admissions.registered(
        admissions.parent(), home_latitude=-6.1912345678, home_longitude=106.6401234567
    )

    async with education_app.state.sessionmaker() as session:
        stored = await session.get(Registration, uuid.UUID(created["id"]))
    assert stored is not None
    assert (str(stored.home_latitude), str(stored.home_longitude)) == ("-6.191235", "106.640123")
    assert created["distance_m"] == distance_m(
        stored.home_latitude, stored.home_longitude, *admissions.smp_location
    )
    assert 1700 < created["distance_m"] < 1800  # about 1.7 km south-east of the school


async def test_a_parent_lists_only_their_own_registrations_of_this_year(
    admissions: Admissions, education_app: FastAPI
) -> None:
    parent_id = f"citizen-{uuid.uuid4().hex[:8]}"
    parent = admissions.parent(parent_id)
    first = await admissions.registered(parent)
    second = await admissions.registered(parent, school_npsn="20606856", birth_date="2011-08-01")
    await admissions.registered(admissions.parent())  # someone else's
    async with education_app.state.sessionmaker() as session, session.begin():
        session.add(
            admissions.row(student_nisn="0099999999", parent_id=parent_id, admission_year=2026)
        )

    listed = await admissions.client.get(URL, headers=parent)

    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [second["id"], first["id"]]  # newest first


async def test_an_officer_at_a_kiosk_registers_for_a_parent_and_is_recorded(
    admissions: Admissions,
) -> None:
    created = await admissions.registered(admissions.kiosk("citizen-no-phone", "officer-77"))

    assert created["parent_id"] == "citizen-no-phone"
    assert created["registered_by"] == "officer-77"
    # The parent sees it in their own list, with their own token.
    listed = await admissions.client.get(URL, headers=admissions.parent("citizen-no-phone"))
    assert created["id"] in [r["id"] for r in listed.json()]


async def test_another_parent_gets_404_and_a_school_officer_reads_it(
    admissions: Admissions,
) -> None:
    created = await admissions.registered(admissions.parent())
    path = f"{URL}/{created['id']}"

    theirs = await admissions.client.get(path, headers=admissions.parent())
    officer = await admissions.client.get(path, headers=admissions.school_officer())
    unknown = await admissions.client.get(f"{URL}/{uuid.uuid4()}", headers=admissions.parent())

    assert theirs.status_code == 404
    assert theirs.headers["content-type"] == "application/problem+json"
    assert theirs.json()["code"] == "not_found"
    # Indistinguishable from a registration that does not exist.
    same = ("status", "code", "title", "detail")
    assert [theirs.json()[k] for k in same] == [unknown.json()[k] for k in same]
    assert officer.status_code == 200
    assert officer.json()["id"] == created["id"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", URL),
        ("GET", URL),
        ("GET", f"{URL}/{uuid.uuid4()}"),
        ("POST", f"{URL}/{uuid.uuid4()}/withdraw"),
        ("GET", f"/v1/education/schools/{SMP}/registrations?pathway=domisili"),
    ],
)
async def test_without_a_token_the_answer_is_401(
    admissions: Admissions, method: str, path: str
) -> None:
    response = await admissions.client.request(method, path, json=admissions.body())

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("roles", "method", "path"),
    [
        (["school_officer"], "POST", URL),  # officers do not register children themselves
        (["school_officer"], "GET", URL),
        (["school_officer"], "POST", f"{URL}/{uuid.uuid4()}/withdraw"),
        (["permits_officer"], "GET", f"{URL}/{uuid.uuid4()}"),
        (["citizen"], "GET", f"/v1/education/schools/{SMP}/registrations?pathway=domisili"),
        (["permits_officer"], "GET", f"/v1/education/schools/{SMP}/registrations?pathway=mutasi"),
    ],
)
async def test_a_caller_without_the_role_gets_403(
    admissions: Admissions, roles: list[str], method: str, path: str
) -> None:
    response = await admissions.client.request(
        method, path, json=admissions.body(), headers=admissions.auth_headers("x", roles=roles)
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"student_nisn": "123456789"}, "body.student_nisn"),
        ({"student_nisn": "12345678901"}, "body.student_nisn"),
        ({"student_nik": "367101230915000"}, "body.student_nik"),
        ({"student_nik": "36710123091500AB"}, "body.student_nik"),
        ({"school_npsn": "2060311"}, "body.school_npsn"),
        ({"pathway": "zonasi"}, "body.pathway"),
        ({"pathway": "prestasi", "achievement_score": 100.5}, "body.achievement_score"),
        ({"pathway": "prestasi", "achievement_score": 90.125}, "body.achievement_score"),
        ({"parent_id": "someone-else"}, "body.parent_id"),
    ],
)
async def test_invalid_input_is_a_422_naming_the_field(
    admissions: Admissions, overrides: dict[str, Any], field: str
) -> None:
    response = await admissions.register(admissions.parent(), **overrides)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert field in [error["field"] for error in problem["errors"]]


async def test_numbers_of_the_wrong_shape_are_explained_in_words(admissions: Admissions) -> None:
    response = await admissions.register(
        admissions.parent(), student_nik="3671", student_nisn="12345", school_npsn="2060311"
    )

    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages == {
        "body.student_nik": "NIK terdiri dari 16 angka.",
        "body.student_nisn": "NISN terdiri dari 10 angka.",
        "body.school_npsn": "NPSN terdiri dari 8 angka.",
    }


async def test_malformed_json_is_a_422_problem_not_a_500(admissions: Admissions) -> None:
    response = await admissions.client.post(
        URL,
        content=b'{"student_nisn": ',
        headers={**admissions.parent(), "content-type": "application/json"},
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


async def test_a_malformed_registration_id_is_a_422(admissions: Admissions) -> None:
    response = await admissions.client.get(f"{URL}/not-a-uuid", headers=admissions.parent())

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["path.registration_id"]
