"""Booking a place in a clinic's queue on real PostgreSQL: numbers, every rule that refuses a
booking, the citizen's list, reading and cancelling, and who may do each."""

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from kota_shared.testing.problems import assert_problem

BOOKINGS = "/v1/health/bookings"
TODAY = date(2026, 12, 7)  # a Monday: the app's clock is fixed on it (conftest `today`)
TOMORROW = TODAY + timedelta(days=1)
Clinic = Any  # the conftest driver


async def test_the_clock_is_on_the_day_these_tests_expect(clinic: Clinic) -> None:
    assert clinic.today == TODAY


async def test_citizens_book_and_get_consecutive_queue_numbers(clinic: Clinic) -> None:
    service = await clinic.open_service()
    first_citizen = f"citizen-{uuid.uuid4().hex[:8]}"

    first = await clinic.booked(clinic.citizen(first_citizen), service)
    second = await clinic.booked(clinic.citizen(), service)

    assert first["queue_number"] == 1
    assert first["queue_label"] == f"{service.upper()}-001"
    assert second["queue_number"] == 2
    assert second["queue_label"] == f"{service.upper()}-002"
    assert first["status"] == "booked"
    assert first["citizen_id"] == first["booked_by"] == first_citizen
    assert first["facility_id"] == clinic.facility_id
    assert first["facility_code"] == "P3671050101"
    assert first["facility_name"] == "Puskesmas Cipondoh"
    assert first["service_code"] == service
    assert first["service_name"] == f"Poli Uji {service}"
    assert first["visit_date"] == TOMORROW.isoformat()
    assert first["booked_at"] == "2026-12-07T02:00:00Z"
    assert first["cancelled_at"] is None


async def test_a_seeded_poli_umum_number_reads_as_the_desk_calls_it(clinic: Clinic) -> None:
    thursday = TODAY + timedelta(days=3)

    booking = await clinic.booked(clinic.citizen(), "umum", visit_date=thursday)

    assert booking["queue_label"] == "UMUM-001"
    assert booking["service_name"] == "Poli Umum"


async def test_an_officer_at_a_kiosk_books_for_a_citizen_and_is_recorded(clinic: Clinic) -> None:
    service = await clinic.open_service()

    booking = await clinic.booked(clinic.at_kiosk("citizen-no-phone", "officer-kiosk-1"), service)

    assert booking["citizen_id"] == "citizen-no-phone"
    assert booking["booked_by"] == "officer-kiosk-1"
    mine = await clinic.client.get(BOOKINGS, headers=clinic.citizen("citizen-no-phone"))
    assert [b["id"] for b in mine.json()] == [booking["id"]]


async def test_an_unknown_facility_is_refused(clinic: Clinic) -> None:
    response = await clinic.book(clinic.citizen(), "umum", facility_id=str(uuid.uuid4()))

    problem = assert_problem(response, 422, "unknown_facility")
    assert problem["errors"] == [
        {
            "field": "body.facility_id",
            "message": "Fasilitas kesehatan dengan id tersebut tidak ada.",
        }
    ]


async def test_a_service_the_facility_does_not_offer_is_refused(clinic: Clinic) -> None:
    response = await clinic.book(clinic.citizen(), "bedah")

    problem = assert_problem(response, 422, "unknown_clinic_service")
    assert problem["errors"] == [
        {"field": "body.service_code", "message": "Fasilitas ini tidak melayani layanan tersebut."}
    ]
    assert problem["detail"] == (
        "Puskesmas Cipondoh tidak melayani layanan dengan kode bedah; lihat "
        f"/v1/health/facilities/{clinic.facility_id}/services untuk daftar layanan yang tersedia."
    )


@pytest.mark.parametrize(
    ("days_ahead", "code"),
    [(-1, "visit_date_in_past"), (-30, "visit_date_in_past"), (15, "visit_date_beyond_horizon")],
)
async def test_a_visit_date_outside_today_to_the_horizon_is_refused(
    clinic: Clinic, days_ahead: int, code: str
) -> None:
    service = await clinic.open_service()

    response = await clinic.book(
        clinic.citizen(), service, visit_date=TODAY + timedelta(days=days_ahead)
    )

    problem = assert_problem(response, 422, code)
    if code == "visit_date_beyond_horizon":
        assert problem["last_bookable_date"] == (TODAY + timedelta(days=14)).isoformat()


@pytest.mark.parametrize("days_ahead", [0, 14])
async def test_today_and_the_last_day_of_the_horizon_can_be_booked(
    clinic: Clinic, days_ahead: int
) -> None:
    service = await clinic.open_service()

    response = await clinic.book(
        clinic.citizen(), service, visit_date=TODAY + timedelta(days=days_ahead)
    )

    assert response.status_code == 201, response.text


async def test_a_day_the_service_does_not_run_is_refused(clinic: Clinic) -> None:
    service = await clinic.open_service(weekdays=[1, 3, 5])  # Monday, Wednesday, Friday

    tuesday = await clinic.book(clinic.citizen(), service, visit_date=TOMORROW)
    wednesday = await clinic.book(clinic.citizen(), service, visit_date=TODAY + timedelta(days=2))

    problem = assert_problem(tuesday, 422, "service_closed")
    assert problem["open_weekdays"] == [1, 3, 5]
    assert problem["detail"] == (
        "Layanan tidak buka pada hari Selasa; layanan buka pada hari Senin, Rabu, dan Jumat."
    )
    assert wednesday.status_code == 201, wednesday.text


async def test_a_full_day_is_refused_until_a_cancellation_frees_a_place(clinic: Clinic) -> None:
    service = await clinic.open_service(quota=2)
    holder = clinic.citizen()
    first = await clinic.booked(holder, service)
    await clinic.booked(clinic.citizen(), service)

    full = await clinic.book(clinic.citizen(), service)
    other_day = await clinic.book(clinic.citizen(), service, visit_date=TODAY + timedelta(days=2))
    assert (await clinic.cancel(holder, first["id"])).status_code == 200
    freed = await clinic.book(clinic.citizen(), service)

    assert_problem(full, 409, "fully_booked")
    assert other_day.status_code == 201, other_day.text
    assert freed.status_code == 201, freed.text
    assert freed.json()["queue_number"] == 3  # the cancelled number 1 is not given again


async def test_a_citizen_holds_one_active_booking_per_queue(clinic: Clinic) -> None:
    service = await clinic.open_service()
    citizen = clinic.citizen()
    held = await clinic.booked(citizen, service)

    again = await clinic.book(citizen, service)
    another_day = await clinic.book(citizen, service, visit_date=TODAY + timedelta(days=2))
    await clinic.cancel(citizen, held["id"])
    after_cancelling = await clinic.book(citizen, service)

    problem = assert_problem(again, 409, "already_booked")
    assert problem["booking_id"] == held["id"]
    assert another_day.status_code == 201, another_day.text
    assert after_cancelling.status_code == 201, after_cancelling.text
    assert after_cancelling.json()["queue_number"] == 2


@pytest.mark.parametrize(
    "body",
    [
        {"service_code": "umum", "visit_date": "2026-12-08"},
        {"facility_id": "not-a-uuid", "service_code": "umum", "visit_date": "2026-12-08"},
        {"facility_id": str(uuid.uuid4()), "service_code": "UMUM!", "visit_date": "2026-12-08"},
        {"facility_id": str(uuid.uuid4()), "service_code": "umum", "visit_date": "8/12/2026"},
        {
            "facility_id": str(uuid.uuid4()),
            "service_code": "umum",
            "visit_date": "2026-12-08",
            "x": 1,
        },
    ],
)
async def test_a_malformed_request_is_a_validation_problem(
    clinic: Clinic, body: dict[str, Any]
) -> None:
    response = await clinic.client.post(BOOKINGS, json=body, headers=clinic.citizen())

    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"]


async def test_the_list_shows_the_callers_upcoming_active_bookings_by_date_then_number(
    clinic: Clinic,
) -> None:
    # Two facilities: a citizen holds one booking per facility and day.
    elsewhere = clinic.other_facility_ids[0]
    dental = await clinic.open_service()
    general = await clinic.open_service(facility_id=elsewhere)
    citizen = clinic.citizen()
    # Cancelled first: it would be a fourth active booking, one more than a citizen may hold.
    cancelled = await clinic.booked(citizen, dental, visit_date=TODAY + timedelta(days=3))
    await clinic.cancel(citizen, cancelled["id"])
    # Someone else is first in `general`.
    await clinic.booked(clinic.citizen(), general, facility_id=elsewhere)
    later = await clinic.booked(citizen, dental, visit_date=TODAY + timedelta(days=2))
    second_in_general = await clinic.booked(citizen, general, facility_id=elsewhere)
    first_in_dental = await clinic.booked(citizen, dental)

    listed = await clinic.client.get(BOOKINGS, headers=citizen)

    assert listed.status_code == 200
    assert [(b["visit_date"], b["queue_number"]) for b in listed.json()] == [
        (TOMORROW.isoformat(), 1),
        (TOMORROW.isoformat(), 2),
        ((TODAY + timedelta(days=2)).isoformat(), 1),
    ]
    assert [b["id"] for b in listed.json()] == [
        first_in_dental["id"],
        second_in_general["id"],
        later["id"],
    ]


async def test_past_and_cancelled_bookings_are_listed_only_when_asked(clinic: Clinic) -> None:
    service = await clinic.open_service()
    citizen = clinic.citizen()
    visited = await clinic.booked(citizen, service, visit_date=TODAY)
    cancelled = await clinic.booked(citizen, service, visit_date=TODAY + timedelta(days=2))
    await clinic.cancel(citizen, cancelled["id"])
    clinic.days_pass(1)

    default = await clinic.client.get(BOOKINGS, headers=citizen)
    everything = await clinic.client.get(
        BOOKINGS,
        params={"status": ["booked", "cancelled"], "from_date": TODAY.isoformat()},
        headers=citizen,
    )

    assert default.json() == []
    assert [b["id"] for b in everything.json()] == [visited["id"], cancelled["id"]]


async def test_the_list_is_for_citizens_only(clinic: Clinic) -> None:
    anonymous = await clinic.client.get(BOOKINGS)
    officer = await clinic.client.get(BOOKINGS, headers=clinic.officer())

    assert_problem(anonymous, 401, "unauthorized")
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert_problem(officer, 403, "forbidden")


async def test_booking_is_for_citizens_only(clinic: Clinic) -> None:
    service = await clinic.open_service()

    anonymous = await clinic.book({}, service)
    officer = await clinic.book(clinic.officer(), service)

    assert_problem(anonymous, 401, "unauthorized")
    assert_problem(officer, 403, "forbidden")


async def test_the_holder_and_clinic_officers_read_a_booking_and_nobody_else(
    clinic: Clinic,
) -> None:
    service = await clinic.open_service()
    holder = clinic.citizen()
    booking = await clinic.booked(holder, service)
    url = f"{BOOKINGS}/{booking['id']}"

    mine = await clinic.client.get(url, headers=holder)
    desk = await clinic.client.get(url, headers=clinic.officer())
    another_citizen = await clinic.client.get(url, headers=clinic.citizen())
    unknown = await clinic.client.get(f"{BOOKINGS}/{uuid.uuid4()}", headers=holder)
    permits_officer = await clinic.client.get(url, headers=clinic.officer("permits_officer"))
    anonymous = await clinic.client.get(url)

    assert mine.status_code == 200
    assert mine.json() == booking
    assert desk.status_code == 200
    assert desk.json() == booking
    # Another citizen's booking answers exactly as one that does not exist.
    assert_problem(another_citizen, 404, "not_found")
    assert another_citizen.json()["detail"] == unknown.json()["detail"]
    assert_problem(unknown, 404, "not_found")
    assert_problem(permits_officer, 403, "forbidden")
    assert_problem(anonymous, 401, "unauthorized")


async def test_the_holder_cancels_before_the_visit_day(clinic: Clinic) -> None:
    service = await clinic.open_service()
    holder = clinic.citizen()
    booking = await clinic.booked(holder, service)

    cancelled = await clinic.cancel(holder, booking["id"])
    again = await clinic.cancel(holder, booking["id"])

    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert body["status"] == "cancelled"
    assert body["cancelled_at"] == "2026-12-07T02:00:00Z"
    assert body["cancelled_by"] == body["citizen_id"]
    assert body["queue_number"] == booking["queue_number"]
    problem = assert_problem(again, 409, "booking_not_active")
    assert problem["current_status"] == "cancelled"


async def test_an_officer_at_a_kiosk_cancels_for_the_citizen(clinic: Clinic) -> None:
    service = await clinic.open_service()
    booking = await clinic.booked(clinic.citizen("citizen-kiosk-2"), service)

    cancelled = await clinic.cancel(
        clinic.at_kiosk("citizen-kiosk-2", "officer-kiosk-2"), booking["id"]
    )

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["cancelled_by"] == "officer-kiosk-2"


async def test_on_the_visit_day_it_is_too_late_to_cancel(clinic: Clinic) -> None:
    service = await clinic.open_service()
    holder = clinic.citizen()
    visited = await clinic.booked(holder, service, visit_date=TODAY)
    due = await clinic.booked(holder, service, visit_date=TOMORROW)
    clinic.days_pass(1)  # now it is TOMORROW

    on_the_day = await clinic.cancel(holder, due["id"])
    after_it = await clinic.cancel(holder, visited["id"])

    assert_problem(on_the_day, 409, "cancellation_too_late")
    assert_problem(after_it, 409, "cancellation_too_late")


async def test_only_the_holder_may_cancel(clinic: Clinic) -> None:
    service = await clinic.open_service()
    holder = clinic.citizen()
    booking = await clinic.booked(holder, service)

    another_citizen = await clinic.cancel(clinic.citizen(), booking["id"])
    officer = await clinic.cancel(clinic.officer(), booking["id"])
    anonymous = await clinic.cancel({}, booking["id"])

    assert_problem(another_citizen, 404, "not_found")
    assert_problem(officer, 403, "forbidden")
    assert_problem(anonymous, 401, "unauthorized")
    still = await clinic.client.get(f"{BOOKINGS}/{booking['id']}", headers=holder)
    assert still.json()["status"] == "booked"
