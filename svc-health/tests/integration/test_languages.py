"""Bahasa Indonesia first: the health service's problems and field messages are Indonesian
unless the caller asks for English, with dates in words and weekdays by their names."""

import uuid
from datetime import date, timedelta
from typing import Any

from kota_shared.testing.problems import assert_problem

BOOKINGS = "/v1/health/bookings"
TODAY = date(2026, 12, 7)  # a Monday: the app's clock is fixed on it (conftest `today`)
TOMORROW = TODAY + timedelta(days=1)
ENGLISH = {"Accept-Language": "en"}
Clinic = Any  # the conftest driver


def in_english(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, **ENGLISH}


def assert_language(response: Any, language: str) -> None:
    assert response.headers["content-language"] == language
    assert "Accept-Language" in response.headers["vary"]


async def test_a_closed_day_is_explained_in_indonesian_unless_english_is_asked(
    clinic: Clinic,
) -> None:
    service = await clinic.open_service(weekdays=[1, 3, 5])  # Monday, Wednesday, Friday
    citizen = clinic.citizen()

    indonesian = await clinic.book(citizen, service, visit_date=TOMORROW)  # a Tuesday
    english = await clinic.book(in_english(citizen), service, visit_date=TOMORROW)

    problem = assert_problem(indonesian, 422, "service_closed")
    assert_language(indonesian, "id")
    assert problem["title"] == "Layanan tidak buka pada hari tersebut."
    assert problem["detail"] == (
        "Layanan tidak buka pada hari Selasa; layanan buka pada hari Senin, Rabu, dan Jumat."
    )
    problem = assert_problem(english, 422, "service_closed")
    assert_language(english, "en")
    assert problem["title"] == "The service is closed on that day of the week."
    assert problem["detail"] == (
        "The service does not run on Tuesday; it runs on Monday, Wednesday and Friday."
    )
    assert problem["open_weekdays"] == [1, 3, 5]


async def test_a_full_day_names_the_date_the_indonesian_way(clinic: Clinic) -> None:
    service = await clinic.open_service(quota=1)
    await clinic.booked(clinic.citizen(), service)

    indonesian = await clinic.book(clinic.citizen(), service)
    english = await clinic.book(in_english(clinic.citizen()), service)

    assert assert_problem(indonesian, 409, "fully_booked")["detail"] == (
        "Antrean untuk tanggal 8 Desember 2026 sudah penuh (kuota harian: 1)."
    )
    assert assert_problem(english, 409, "fully_booked")["detail"] == (
        "The queue for 8 December 2026 is full (daily quota: 1)."
    )
    assert_language(english, "en")


async def test_a_second_booking_names_the_one_held_and_its_date(clinic: Clinic) -> None:
    service = await clinic.open_service()
    citizen = clinic.citizen()
    held = await clinic.booked(citizen, service)

    again = await clinic.book(citizen, service)

    problem = assert_problem(again, 409, "already_booked")
    assert problem["title"] == (
        "Anda sudah memiliki pendaftaran untuk layanan ini pada hari tersebut."
    )
    assert problem["detail"] == (
        f"Pendaftaran Anda {held['queue_label']} untuk tanggal 8 Desember 2026 masih berlaku."
    )


async def test_dates_outside_the_horizon_are_written_in_words(clinic: Clinic) -> None:
    service = await clinic.open_service()

    past = await clinic.book(clinic.citizen(), service, visit_date=TODAY - timedelta(days=1))
    beyond = await clinic.book(
        in_english(clinic.citizen()), service, visit_date=TODAY + timedelta(days=15)
    )

    assert assert_problem(past, 422, "visit_date_in_past")["detail"] == (
        "Tanggal 6 Desember 2026 sudah lewat; hari ini tanggal 7 Desember 2026."
    )
    problem = assert_problem(beyond, 422, "visit_date_beyond_horizon")
    assert problem["detail"] == "The last day that can be booked now is 21 December 2026."
    assert problem["last_bookable_date"] == "2026-12-21"


async def test_cancelling_refusals_are_in_indonesian(clinic: Clinic) -> None:
    service = await clinic.open_service()
    holder = clinic.citizen()
    today = await clinic.booked(holder, service, visit_date=TODAY)
    tomorrow = await clinic.booked(holder, service)
    await clinic.cancel(holder, tomorrow["id"])

    too_late = await clinic.cancel(holder, today["id"])
    again = await clinic.cancel(holder, tomorrow["id"])
    again_in_english = await clinic.cancel(in_english(holder), tomorrow["id"])

    assert assert_problem(too_late, 409, "cancellation_too_late")["detail"] == (
        "Kunjungan dijadwalkan pada 7 Desember 2026; pendaftaran dapat dibatalkan paling "
        "lambat sehari sebelumnya."
    )
    problem = assert_problem(again, 409, "booking_not_active")
    assert problem["title"] == "Pendaftaran ini sudah tidak aktif."
    assert problem["detail"] == "Pendaftaran ini sudah dibatalkan."
    assert problem["current_status"] == "cancelled"  # the machine-readable status stays
    assert assert_problem(again_in_english, 409, "booking_not_active")["detail"] == (
        "The booking has been cancelled."
    )


async def test_a_booking_that_is_not_yours_is_not_found_in_either_language(
    clinic: Clinic,
) -> None:
    url = f"{BOOKINGS}/{uuid.uuid4()}"

    indonesian = await clinic.client.get(url, headers=clinic.citizen())
    english = await clinic.client.get(url, headers=in_english(clinic.citizen()))

    problem = assert_problem(indonesian, 404, "not_found")
    assert problem["title"] == "Data yang Anda cari tidak ditemukan."
    assert problem["detail"] == "Tidak ada pendaftaran milik Anda dengan id ini."
    assert_language(indonesian, "id")
    assert assert_problem(english, 404, "not_found")["detail"] == (
        "No booking with this id belongs to you."
    )
    assert_language(english, "en")


async def test_an_unknown_facility_is_not_found_in_indonesian(clinic: Clinic) -> None:
    response = await clinic.client.get(f"/v1/health/facilities/{uuid.uuid4()}/services")

    problem = assert_problem(response, 404, "not_found")
    assert problem["detail"] == "Fasilitas kesehatan dengan id tersebut tidak ada."


async def test_the_queue_of_a_service_not_offered_names_the_facility(clinic: Clinic) -> None:
    url = f"/v1/health/facilities/{clinic.facility_id}/queue"

    response = await clinic.client.get(url, params={"service": "bedah"}, headers=clinic.officer())

    problem = assert_problem(response, 422, "unknown_clinic_service")
    assert problem["detail"] == "Puskesmas Cipondoh tidak melayani layanan dengan kode bedah."
    assert problem["errors"] == [
        {"field": "query.service", "message": "Fasilitas ini tidak melayani layanan tersebut."}
    ]


async def test_field_messages_of_a_malformed_booking_are_in_indonesian(clinic: Clinic) -> None:
    body = {"facility_id": str(uuid.uuid4()), "service_code": "UMUM!", "extra": 1}

    indonesian = await clinic.client.post(BOOKINGS, json=body, headers=clinic.citizen())
    english = await clinic.client.post(BOOKINGS, json=body, headers=in_english(clinic.citizen()))

    problem = assert_problem(indonesian, 422, "validation_failed")
    assert problem["title"] == "Sebagian data yang Anda kirim tidak valid."
    messages = {e["field"]: e["message"] for e in problem["errors"]}
    assert messages == {
        "body.service_code": "Teks harus sesuai dengan pola '^[a-z][a-z0-9_]{1,19}$'.",
        "body.visit_date": "Wajib diisi.",
        "body.extra": "Isian tambahan tidak diperbolehkan.",
    }
    messages = {e["field"]: e["message"] for e in english.json()["errors"]}
    assert messages["body.visit_date"] == "Field required"
    assert_language(english, "en")
