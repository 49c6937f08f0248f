"""The app's home screen (``GET /v1/me/overview``) gathers what the citizen did in each service.

Through the gateway only, with every service running: a clinic booking and a school
registration made by the citizen show up in their overview, and nobody else's does. Each
section may take the suite's ``OVERVIEW_TIMEOUT_SECONDS`` (conftest: a loaded CI machine's
allowance, not production's 2 s); one that takes longer is ``available: false``, and fails here.
"""

import random
from datetime import date, timedelta
from typing import Any

import httpx
from e2e_suite import new_citizen, new_parent


def _book_the_next_open_day(gateway: httpx.Client, citizen: dict[str, str]) -> dict[str, Any]:
    """Book the first seeded polyclinic on its next open day (from tomorrow)."""
    facility = gateway.get("/v1/health/facilities").json()[0]
    service = gateway.get(f"/v1/health/facilities/{facility['id']}/services").json()[0]
    visit = date.today() + timedelta(days=1)
    while visit.isoweekday() not in service["open_weekdays"]:
        visit += timedelta(days=1)
    booked = gateway.post(
        "/v1/health/bookings",
        json={
            "facility_id": facility["id"],
            "service_code": service["code"],
            "visit_date": visit.isoformat(),
        },
        headers=citizen,
    )
    assert booked.status_code == 201, booked.text
    booking: dict[str, Any] = booked.json()
    return booking


def _section(gateway: httpx.Client, citizen: dict[str, str], name: str) -> dict[str, Any]:
    response = gateway.get("/v1/me/overview", headers=citizen)
    assert response.status_code == 200, response.text
    section: dict[str, Any] = response.json()["sections"][name]
    return section


def _shown_to_its_owner_only(
    gateway: httpx.Client, section: str, item: dict[str, Any], owner: dict[str, str]
) -> dict[str, Any]:
    """``item`` is the one thing in the owner's ``section``; a neighbour's is empty."""
    neighbour = new_citizen(gateway)
    mine, theirs = _section(gateway, owner, section), _section(gateway, neighbour, section)
    assert mine["available"] is True, mine
    assert [shown["id"] for shown in mine["items"]] == [item["id"]]
    assert theirs == {"available": True, "items": [], "reason": None}
    shown: dict[str, Any] = mine["items"][0]
    return shown


def test_a_clinic_booking_appears_on_the_citizens_home_screen_only(
    gateway: httpx.Client,
) -> None:
    citizen = new_citizen(gateway)

    booking = _book_the_next_open_day(gateway, citizen)

    shown = _shown_to_its_owner_only(gateway, "appointments", booking, citizen)
    assert shown["queue_label"] == booking["queue_label"]


def _a_child_for_junior_high(gateway: httpx.Client) -> dict[str, Any]:
    """A 12-year-old on the age reference date, as the civil registry simulator takes one."""
    admission = gateway.get("/v1/education/admission").json()
    assert admission["open"], admission  # `make up`'s defaults keep registration open
    reference = date.fromisoformat(admission["age_reference_date"])
    born = reference.replace(year=reference.year - 12)
    return {"name": "Siti Rahmawati", "birth_date": born.isoformat(), "sex": "female"}


def _register_at_junior_high(
    gateway: httpx.Client, parent: dict[str, str], child_nik: str
) -> httpx.Response:
    """Register the child with this NIK at the seeded SMP, by residence."""
    return gateway.post(
        "/v1/education/registrations",
        json={
            "student_nik": child_nik,
            "student_nisn": f"{random.randrange(10**9, 10**10)}",
            "school_npsn": "20603115",
            "pathway": "domisili",
        },
        headers=parent,
    )


def test_a_school_registration_appears_on_the_parents_home_screen_only(
    gateway: httpx.Client,
) -> None:
    parent, family = new_parent(gateway, children=[_a_child_for_junior_high(gateway)])
    child = family["members"][1]

    registered = _register_at_junior_high(gateway, parent, child["nik"])

    assert registered.status_code == 201, registered.text
    registration: dict[str, Any] = registered.json()
    shown = _shown_to_its_owner_only(gateway, "admissions", registration, parent)
    assert shown["family_card_number"].endswith(family["no_kk"][-4:])
    assert family["no_kk"] not in str(shown)  # the family card stays masked


def test_a_parent_registers_only_a_child_on_their_family_card_from_its_home(
    gateway: httpx.Client,
) -> None:
    """The family card, its child and its home come from the civil registry, through the
    gateway: another family's child is refused, and the home is the card's."""
    parent, family = new_parent(gateway, children=[_a_child_for_junior_high(gateway)])
    _neighbour, other_family = new_parent(gateway, children=[_a_child_for_junior_high(gateway)])

    squatted = _register_at_junior_high(gateway, parent, other_family["members"][1]["nik"])
    own = _register_at_junior_high(gateway, parent, family["members"][1]["nik"])

    assert squatted.status_code == 422, squatted.text
    assert squatted.json()["code"] == "student_not_on_family_card"
    assert own.status_code == 201, own.text
    registration = own.json()
    assert registration["student_name"] == "SITI RAHMAWATI"  # as the registry prints it
    assert registration["birth_date"] == family["members"][1]["birth_date"]
    home = family["address"]
    assert (registration["home_latitude"], registration["home_longitude"]) == (
        round(home["latitude"], 6),
        round(home["longitude"], 6),
    )
