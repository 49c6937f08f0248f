"""Fair shares of scarce places, through the API: at most `HEALTH_MAX_ACTIVE_BOOKINGS` active
bookings per citizen, one per facility and day, and each day opening at
`HEALTH_BOOKING_OPENS_AT`, fourteen days ahead, one day at a time."""

import uuid
from datetime import date, time, timedelta
from typing import Any

from health.config import HealthSettings
from health.main import create_app
from kota_dev.pytest_plugin import running_app
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.problems import assert_problem

BOOKINGS = "/v1/health/bookings"
TODAY = date(2026, 12, 7)  # a Monday: the app's clock is fixed on it (conftest `today`)
TOMORROW = TODAY + timedelta(days=1)
ENGLISH = {"Accept-Language": "en"}
Clinic = Any  # the conftest driver


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


async def active_ids(clinic: Clinic, citizen: dict[str, str]) -> list[str]:
    listed = await clinic.client.get(BOOKINGS, headers=citizen)
    assert listed.status_code == 200, listed.text
    return [b["id"] for b in listed.json()]


# --- at most N active bookings -------------------------------------------------------------


async def test_a_fourth_active_booking_is_refused_until_one_is_cancelled(clinic: Clinic) -> None:
    service = await clinic.open_service()
    citizen = clinic.citizen()
    held = [await clinic.booked(citizen, service, visit_date=day(n)) for n in (1, 2, 3)]

    fourth = await clinic.book(citizen, service, visit_date=day(4))
    in_english = await clinic.book({**citizen, **ENGLISH}, service, visit_date=day(4))
    assert (await clinic.cancel(citizen, held[1]["id"])).status_code == 200
    after_cancelling = await clinic.book(citizen, service, visit_date=day(4))

    problem = assert_problem(fourth, 409, "too_many_active_bookings")
    assert problem["max_active_bookings"] == 3
    assert problem["title"] == (
        "Anda sudah memiliki pendaftaran aktif sebanyak yang diperbolehkan bagi satu warga."
    )
    assert problem["detail"] == (
        "Anda sudah memiliki pendaftaran aktif sebanyak yang boleh dimiliki satu warga "
        "sekaligus (batas: 3). Membatalkan salah satunya memberi tempat untuk pendaftaran ini."
    )
    assert assert_problem(in_english, 409, "too_many_active_bookings")["detail"] == (
        "You already hold the most active bookings one citizen may hold at once (limit: 3). "
        "Cancelling one of them frees a place for this booking."
    )
    assert after_cancelling.status_code == 201, after_cancelling.text
    assert len(await active_ids(clinic, citizen)) == 3


async def test_the_limit_spans_every_facility_and_service(clinic: Clinic) -> None:
    facilities = [clinic.facility_id, *clinic.other_facility_ids]
    services = [await clinic.open_service(facility_id=f) for f in facilities]
    citizen = clinic.citizen()
    for facility, service in zip(facilities, services, strict=True):
        await clinic.booked(citizen, service, facility_id=facility)

    another = await clinic.open_service()
    refused = await clinic.book(citizen, another, visit_date=day(5))

    assert_problem(refused, 409, "too_many_active_bookings")


async def test_a_visit_day_that_has_passed_no_longer_counts(clinic: Clinic) -> None:
    service = await clinic.open_service()
    citizen = clinic.citizen()
    for n in (0, 1, 2):
        await clinic.booked(citizen, service, visit_date=day(n))
    assert_problem(
        await clinic.book(citizen, service, visit_date=day(3)), 409, "too_many_active_bookings"
    )

    clinic.days_pass(1)  # today's visit is behind it: two bookings are still ahead
    next_day = await clinic.book(citizen, service, visit_date=day(3))

    assert next_day.status_code == 201, next_day.text


async def test_a_refused_booking_takes_none_of_the_citizens_allowance(clinic: Clinic) -> None:
    service = await clinic.open_service(quota=1)
    citizen = clinic.citizen()
    await clinic.booked(clinic.citizen(), service)  # the day is taken by someone else
    for n in (2, 3):
        await clinic.booked(citizen, service, visit_date=day(n))

    full = await clinic.book(citizen, service)
    third = await clinic.book(citizen, service, visit_date=day(4))

    assert_problem(full, 409, "fully_booked")
    assert third.status_code == 201, third.text


async def test_a_kiosk_booking_counts_against_the_citizen_it_is_for(clinic: Clinic) -> None:
    service = await clinic.open_service()
    subject = f"citizen-{uuid.uuid4().hex[:8]}"
    for n in (1, 2):
        await clinic.booked(clinic.citizen(subject), service, visit_date=day(n))
    await clinic.booked(clinic.at_kiosk(subject, "officer-kiosk-9"), service, visit_date=day(3))

    own = await clinic.book(clinic.citizen(subject), service, visit_date=day(4))

    assert_problem(own, 409, "too_many_active_bookings")


async def test_a_city_sets_its_own_limit_and_hour(
    health_database: str, service_env: dict[str, Any], clinic: Clinic
) -> None:
    """The settings are read: one active booking, days opening at 10:00."""
    clock = MovableClock()
    settings = HealthSettings(
        database_url=health_database,
        max_active_bookings=1,
        booking_opens_at=time(10, 0),
        **service_env,
    )
    service = await clinic.open_service()
    citizen = clinic.citizen()
    async with running_app(create_app(settings, clock=clock)) as client:
        clock.fixed = clinic.clock()  # 09:00 WIB on TODAY

        async def book(visit: date) -> Any:
            body = {
                "facility_id": clinic.facility_id,
                "service_code": service,
                "visit_date": visit.isoformat(),
            }
            return await client.post(BOOKINGS, json=body, headers=citizen)

        not_yet = await book(day(14))
        first = await book(day(13))
        second = await book(day(1))

    problem = assert_problem(not_yet, 409, "booking_not_open_yet")
    assert problem["opens_at"] == "2026-12-07T10:00:00+07:00"
    assert first.status_code == 201, first.text
    assert assert_problem(second, 409, "too_many_active_bookings")["max_active_bookings"] == 1


# --- one booking per facility and day ------------------------------------------------------


async def test_a_second_service_at_one_facility_on_one_day_is_refused(clinic: Clinic) -> None:
    general, dental = await clinic.open_service(), await clinic.open_service()
    citizen = clinic.citizen()
    held = await clinic.booked(citizen, general)

    second = await clinic.book(citizen, dental)
    in_english = await clinic.book({**citizen, **ENGLISH}, dental)

    problem = assert_problem(second, 409, "already_booked_at_facility")
    assert problem["booking_id"] == held["id"]
    assert problem["title"] == (
        "Anda sudah memiliki pendaftaran di fasilitas ini pada hari tersebut."
    )
    assert problem["detail"] == (
        f"Pendaftaran Anda {held['queue_label']} (Poli Uji {general}) di Puskesmas Cipondoh "
        "untuk tanggal 8 Desember 2026 masih berlaku; satu warga hanya dapat memiliki satu "
        "pendaftaran per fasilitas per hari. Batalkan pendaftaran tersebut untuk memesan "
        "layanan lain di sana pada hari itu."
    )
    assert assert_problem(in_english, 409, "already_booked_at_facility")["detail"] == (
        f"Your booking {held['queue_label']} (Poli Uji {general}) at Puskesmas Cipondoh for "
        "8 December 2026 still stands; one citizen may hold one booking per facility and "
        "day. Cancel it to book another service there that day."
    )


async def test_the_same_service_again_is_still_already_booked(clinic: Clinic) -> None:
    service = await clinic.open_service()
    citizen = clinic.citizen()
    held = await clinic.booked(citizen, service)

    again = await clinic.book(citizen, service)

    assert assert_problem(again, 409, "already_booked")["booking_id"] == held["id"]


async def test_another_facility_or_another_day_may_be_booked(clinic: Clinic) -> None:
    elsewhere = clinic.other_facility_ids[0]
    general, dental = await clinic.open_service(), await clinic.open_service()
    there = await clinic.open_service(facility_id=elsewhere)
    citizen = clinic.citizen()
    await clinic.booked(citizen, general)

    other_facility = await clinic.book(citizen, there, facility_id=elsewhere)
    other_day = await clinic.book(citizen, dental, visit_date=day(2))

    assert other_facility.status_code == 201, other_facility.text
    assert other_day.status_code == 201, other_day.text


async def test_cancelling_frees_the_day_at_the_facility(clinic: Clinic) -> None:
    general, dental = await clinic.open_service(), await clinic.open_service()
    citizen = clinic.citizen()
    held = await clinic.booked(citizen, general)
    assert (await clinic.cancel(citizen, held["id"])).status_code == 200

    dental_instead = await clinic.book(citizen, dental)

    assert dental_instead.status_code == 201, dental_instead.text


async def test_other_citizens_book_the_other_services_of_that_day(clinic: Clinic) -> None:
    general, dental = await clinic.open_service(), await clinic.open_service()
    await clinic.booked(clinic.citizen(), general)

    someone_else = await clinic.book(clinic.citizen(), dental)

    assert someone_else.status_code == 201, someone_else.text


# --- each day opens at a known hour --------------------------------------------------------


async def test_the_newest_day_opens_at_seven_in_the_morning(clinic: Clinic) -> None:
    service = await clinic.open_service()
    citizen = clinic.citizen()
    clinic.at_city_time(6, 59)

    early = await clinic.book(citizen, service, visit_date=day(14))
    early_in_english = await clinic.book({**citizen, **ENGLISH}, service, visit_date=day(14))
    day_before = await clinic.book(citizen, service, visit_date=day(13))
    clinic.at_city_time(7, 0)
    on_the_hour = await clinic.book(citizen, service, visit_date=day(14))

    problem = assert_problem(early, 409, "booking_not_open_yet")
    assert problem["opens_at"] == "2026-12-07T07:00:00+07:00"
    assert problem["title"] == "Pendaftaran untuk hari tersebut belum dibuka."
    assert problem["detail"] == (
        "Pendaftaran untuk tanggal 21 Desember 2026 dibuka pada tanggal 7 Desember 2026 "
        "pukul 07.00 WIB."
    )
    assert assert_problem(early_in_english, 409, "booking_not_open_yet")["detail"] == (
        "Bookings for 21 December 2026 open on 7 December 2026 at 07.00 WIB."
    )
    assert day_before.status_code == 201, day_before.text
    assert on_the_hour.status_code == 201, on_the_hour.text


async def test_before_the_hour_the_horizon_ends_a_day_earlier(clinic: Clinic) -> None:
    service = await clinic.open_service()
    clinic.at_city_time(6, 0)

    beyond = await clinic.book(clinic.citizen(), service, visit_date=day(15))

    problem = assert_problem(beyond, 422, "visit_date_beyond_horizon")
    assert problem["last_bookable_date"] == day(13).isoformat()
    assert problem["opens_at"] == "2026-12-08T07:00:00+07:00"
    assert problem["detail"] == (
        "Hari terakhir yang dapat dipesan saat ini adalah 20 Desember 2026."
    )


async def test_a_window_published_at_once_cannot_be_taken_at_once(clinic: Clinic) -> None:
    """A bot at 06:59 gets no day that is not already open; at 07:00 it gets one more day,
    and the next only the morning after."""
    service = await clinic.open_service()
    clinic.at_city_time(6, 59)
    before = [await clinic.book(clinic.citizen(), service, visit_date=day(n)) for n in (14, 15)]
    clinic.at_city_time(7, 0)
    at_seven = [await clinic.book(clinic.citizen(), service, visit_date=day(n)) for n in (14, 15)]
    clinic.at_city_time(7, 0, days=1)
    next_morning = await clinic.book(clinic.citizen(), service, visit_date=day(15))

    assert [b.json()["code"] for b in before] == [
        "booking_not_open_yet",
        "visit_date_beyond_horizon",
    ]
    assert at_seven[0].status_code == 201, at_seven[0].text
    assert at_seven[1].json()["code"] == "visit_date_beyond_horizon"
    assert next_morning.status_code == 201, next_morning.text
