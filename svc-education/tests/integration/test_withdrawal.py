"""Withdrawing a registration: only its parent, only while registration is open, only once."""

from datetime import UTC, datetime
from typing import Any

Admissions = Any  # the `admissions` fixture's driver (conftest)


async def test_the_parent_withdraws_and_the_child_may_register_again(
    admissions: Admissions, during_registration: Any
) -> None:
    parent = admissions.parent()
    first = await admissions.registered(parent)
    during_registration.fixed = datetime(2027, 6, 12, 2, 30, tzinfo=UTC)

    response = await admissions.withdraw(parent, first["id"])

    assert response.status_code == 200, response.text
    withdrawn = response.json()
    assert withdrawn["status"] == "withdrawn"
    assert withdrawn["withdrawn_at"] == "2027-06-12T02:30:00Z"
    assert withdrawn["withdrawn_by"] == withdrawn["parent_id"]
    # The child is free to choose again, at another school.
    again = await admissions.register(
        parent,
        student_nisn=first["student_nisn"],
        school_npsn=admissions.sma,
        birth_date="2014-05-20",
    )
    assert again.status_code == 201, again.text
    listed = (await admissions.client.get(admissions.url, headers=parent)).json()
    assert [(r["id"], r["status"]) for r in listed] == [
        (again.json()["id"], "submitted"),
        (first["id"], "withdrawn"),
    ]


async def test_withdrawing_twice_is_a_409(admissions: Admissions) -> None:
    parent = admissions.parent()
    created = await admissions.registered(parent)
    await admissions.withdraw(parent, created["id"])

    response = await admissions.withdraw(parent, created["id"])

    assert response.status_code == 409
    assert response.json()["code"] == "registration_not_active"
    assert response.json()["current_status"] == "withdrawn"


async def test_after_the_period_a_registration_cannot_be_withdrawn(
    admissions: Admissions, during_registration: Any
) -> None:
    parent = admissions.parent()
    created = await admissions.registered(parent)
    during_registration.fixed = datetime(2027, 6, 21, 1, 0, tzinfo=UTC)

    response = await admissions.withdraw(parent, created["id"])

    assert response.status_code == 409
    assert response.json()["code"] == "registration_period_closed"
    still = await admissions.client.get(f"{admissions.url}/{created['id']}", headers=parent)
    assert still.json()["status"] == "submitted"


async def test_another_parent_cannot_withdraw_it_and_learns_nothing(
    admissions: Admissions,
) -> None:
    created = await admissions.registered(admissions.parent())

    response = await admissions.withdraw(admissions.parent(), created["id"])
    english = await admissions.withdraw(
        {**admissions.parent(), "Accept-Language": "en"}, created["id"]
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["detail"] == "Anda tidak memiliki pendaftaran dengan ID ini."
    assert english.status_code == 404
    assert english.headers["content-language"] == "en"
    assert english.json()["detail"] == "You have no registration with this id."


async def test_an_officer_at_a_kiosk_withdraws_for_the_parent_and_is_recorded(
    admissions: Admissions,
) -> None:
    created = await admissions.registered(admissions.parent("citizen-at-kiosk"))

    response = await admissions.withdraw(
        admissions.kiosk("citizen-at-kiosk", "officer-12"), created["id"]
    )

    assert response.status_code == 200, response.text
    assert response.json()["withdrawn_by"] == "officer-12"
