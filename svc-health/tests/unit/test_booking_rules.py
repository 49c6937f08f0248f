"""The booking rules on their own: bookable days, opening days, the quota, queue labels
and cancellation."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from health.bookings.rules import (
    check_cancellable,
    check_open,
    check_room,
    check_visit_date,
    queue_label,
)
from health.problems import (
    CancellationTooLate,
    FullyBooked,
    ServiceClosed,
    VisitDateBeyondHorizon,
    VisitDateInPast,
)
from kota_shared.problems import Problem

MONDAY = date(2026, 12, 7)
JAKARTA, JAYAPURA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Jayapura")


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    horizon=st.integers(min_value=0, max_value=60),
    offset=st.integers(min_value=-400, max_value=400),
)
def test_exactly_today_to_the_horizon_is_bookable(today: date, horizon: int, offset: int) -> None:
    visit = today + timedelta(days=offset)

    if offset < 0:
        with pytest.raises(VisitDateInPast):
            check_visit_date(visit, today=today, horizon_days=horizon)
    elif offset > horizon:
        with pytest.raises(VisitDateBeyondHorizon) as refused:
            check_visit_date(visit, today=today, horizon_days=horizon)
        last = today + timedelta(days=horizon)
        assert refused.value.extensions == {"last_bookable_date": last.isoformat()}
    else:
        check_visit_date(visit, today=today, horizon_days=horizon)


def test_a_zero_horizon_books_only_today() -> None:
    check_visit_date(MONDAY, today=MONDAY, horizon_days=0)
    with pytest.raises(VisitDateBeyondHorizon):
        check_visit_date(MONDAY + timedelta(days=1), today=MONDAY, horizon_days=0)


def test_a_service_is_bookable_on_its_iso_weekdays_only() -> None:
    weekdays = [1, 3, 5]  # Monday, Wednesday, Friday

    open_on = [
        MONDAY + timedelta(days=n) for n in range(7) if _opens(weekdays, MONDAY + timedelta(days=n))
    ]

    assert [d.strftime("%A") for d in open_on] == ["Monday", "Wednesday", "Friday"]


def _opens(weekdays: list[int], day: date) -> bool:
    try:
        check_open(weekdays, day)
    except ServiceClosed:
        return False
    return True


def test_a_closed_day_says_which_days_the_service_runs() -> None:
    with pytest.raises(ServiceClosed) as refused:
        check_open({6, 2, 4}, MONDAY + timedelta(days=6))

    detail = refused.value.detail
    assert detail is not None
    assert detail.render("id") == (
        "Layanan tidak buka pada hari Minggu; layanan buka pada hari Selasa, Kamis, dan Sabtu."
    )
    assert detail.render("en") == (
        "The service does not run on Sunday; it runs on Tuesday, Thursday and Saturday."
    )
    assert refused.value.extensions == {"open_weekdays": [2, 4, 6]}


def _details(problem: Problem) -> tuple[str, str]:
    """The problem's detail in Indonesian and in English."""
    assert problem.detail is not None
    return problem.detail.render("id"), problem.detail.render("en")


def test_a_past_visit_date_names_both_days_in_words() -> None:
    with pytest.raises(VisitDateInPast) as refused:
        check_visit_date(date(2026, 10, 1), today=date(2026, 10, 2), horizon_days=14)

    assert _details(refused.value) == (
        "Tanggal 1 Oktober 2026 sudah lewat; hari ini tanggal 2 Oktober 2026.",
        "1 October 2026 has passed; today is 2 October 2026.",
    )


def test_a_date_beyond_the_horizon_names_the_last_bookable_day_in_words() -> None:
    with pytest.raises(VisitDateBeyondHorizon) as refused:
        check_visit_date(date(2026, 10, 20), today=date(2026, 10, 1), horizon_days=14)

    assert _details(refused.value) == (
        "Hari terakhir yang dapat dipesan saat ini adalah 15 Oktober 2026.",
        "The last day that can be booked now is 15 October 2026.",
    )


@pytest.mark.parametrize(("active", "quota"), [(0, 1), (29, 30)])
def test_a_queue_with_a_place_left_has_room(active: int, quota: int) -> None:
    check_room(active_bookings=active, daily_quota=quota, visit_date=MONDAY)


@pytest.mark.parametrize(("active", "quota"), [(1, 1), (30, 30), (31, 30)])
def test_a_queue_at_its_quota_is_full(active: int, quota: int) -> None:
    with pytest.raises(FullyBooked) as refused:
        check_room(active_bookings=active, daily_quota=quota, visit_date=MONDAY)

    assert refused.value.status == 409
    assert refused.value.code == "fully_booked"
    assert refused.value.extensions == {"daily_quota": quota}
    assert _details(refused.value) == (
        f"Antrean untuk tanggal 7 Desember 2026 sudah penuh (kuota harian: {quota}).",
        f"The queue for 7 December 2026 is full (daily quota: {quota}).",
    )


@pytest.mark.parametrize(
    ("code", "number", "label"),
    [
        ("umum", 7, "UMUM-007"),
        ("kia", 1, "KIA-001"),
        ("gigi", 120, "GIGI-120"),
        ("umum", 1000, "UMUM-1000"),
    ],
)
def test_queue_labels_read_as_the_desk_calls_them(code: str, number: int, label: str) -> None:
    assert queue_label(code, number) == label


def test_queue_numbers_start_at_one() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        queue_label("umum", 0)


def test_a_booking_is_cancellable_until_the_day_before_the_visit() -> None:
    check_cancellable(MONDAY + timedelta(days=1), today=MONDAY)
    for visit in (MONDAY, MONDAY - timedelta(days=1)):
        with pytest.raises(CancellationTooLate):
            check_cancellable(visit, today=MONDAY)


def test_too_late_to_cancel_names_the_visit_day_in_words() -> None:
    with pytest.raises(CancellationTooLate) as refused:
        check_cancellable(MONDAY, today=MONDAY)

    assert _details(refused.value) == (
        "Kunjungan dijadwalkan pada 7 Desember 2026; pendaftaran dapat dibatalkan paling "
        "lambat sehari sebelumnya.",
        "The visit is on 7 December 2026; a booking can be cancelled until the day before.",
    )
