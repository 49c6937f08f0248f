"""The booking rules on their own: bookable days and the hour each opens, opening days, the
quota, how many bookings one citizen may hold, queue labels and cancellation."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from health.bookings.rules import (
    BookingWindow,
    check_booking_limit,
    check_cancellable,
    check_open,
    check_room,
    check_visit_date,
    queue_label,
)
from health.problems import (
    BookingNotOpenYet,
    CancellationTooLate,
    FullyBooked,
    ServiceClosed,
    TooManyActiveBookings,
    VisitDateBeyondHorizon,
    VisitDateInPast,
)
from kota_shared.problems import Problem

MONDAY = date(2026, 12, 7)
JAKARTA, JAYAPURA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Jayapura")
SEVEN = time(7, 0)
WINDOW = BookingWindow(horizon_days=14, opens_at=SEVEN, timezone=JAKARTA)
"""The defaults: two weeks ahead, each day opening at 07:00 WIB."""


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = JAKARTA) -> datetime:
    """A moment on the city's clock."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


MONDAY_MORNING = at(MONDAY, 9)
"""09:00 WIB on `MONDAY`, after the day's opening hour."""

moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
opening_hours = st.times(min_value=time(0, 0), max_value=time(23, 59))


def _window(horizon: int, opens_at: time = SEVEN, zone: ZoneInfo = JAKARTA) -> BookingWindow:
    return BookingWindow(horizon_days=horizon, opens_at=opens_at, timezone=zone)


@given(
    now=moments,
    horizon=st.integers(min_value=0, max_value=60),
    opens_at=opening_hours,
    zone=st.sampled_from([JAKARTA, JAYAPURA]),
    offset=st.integers(min_value=-400, max_value=400),
)
def test_a_day_is_bookable_from_its_opening_until_it_has_passed(
    now: datetime, horizon: int, opens_at: time, zone: ZoneInfo, offset: int
) -> None:
    window = _window(horizon, opens_at, zone)
    today = now.astimezone(zone).date()
    visit = today + timedelta(days=offset)
    opening = datetime.combine(visit - timedelta(days=horizon), opens_at, tzinfo=zone)

    if visit < today:
        with pytest.raises(VisitDateInPast):
            check_visit_date(visit, now=now, window=window)
    elif opening <= now:
        check_visit_date(visit, now=now, window=window)
    elif opening.date() == today:
        with pytest.raises(BookingNotOpenYet) as not_yet:
            check_visit_date(visit, now=now, window=window)
        assert not_yet.value.extensions == {"opens_at": opening.isoformat()}
    else:
        with pytest.raises(VisitDateBeyondHorizon) as beyond:
            check_visit_date(visit, now=now, window=window)
        last = window.last_open_day(now)
        assert last < visit
        assert window.opening_of(last) <= now < window.opening_of(last + timedelta(days=1))
        assert beyond.value.extensions == {
            "last_bookable_date": last.isoformat(),
            "opens_at": opening.isoformat(),
        }


@given(now=moments, horizon=st.integers(min_value=0, max_value=60), opens_at=opening_hours)
def test_one_new_day_opens_each_day_at_the_hour(
    now: datetime, horizon: int, opens_at: time
) -> None:
    window = _window(horizon, opens_at)

    assert window.last_open_day(now + timedelta(days=1)) == (
        window.last_open_day(now) + timedelta(days=1)
    )
    # Never more than the horizon's days after today; less only before the hour.
    today = now.astimezone(JAKARTA).date()
    assert window.last_open_day(now) - today in (
        timedelta(days=horizon),
        timedelta(days=horizon - 1),
    )


def test_the_newest_day_opens_at_seven_in_the_morning_city_time() -> None:
    newest = MONDAY + timedelta(days=14)

    for early in (at(MONDAY, 0, 1), at(MONDAY, 6, 59)):
        with pytest.raises(BookingNotOpenYet):
            check_visit_date(newest, now=early, window=WINDOW)
        check_visit_date(newest - timedelta(days=1), now=early, window=WINDOW)
    check_visit_date(newest, now=at(MONDAY, 7), window=WINDOW)
    check_visit_date(newest, now=at(MONDAY, 23, 59), window=WINDOW)


def test_not_open_yet_says_when_the_day_opens_in_words() -> None:
    with pytest.raises(BookingNotOpenYet) as refused:
        check_visit_date(date(2026, 12, 21), now=at(MONDAY, 6, 30), window=WINDOW)

    assert refused.value.status == 409
    assert refused.value.code == "booking_not_open_yet"
    assert _details(refused.value) == (
        "Pendaftaran untuk tanggal 21 Desember 2026 dibuka pada tanggal 7 Desember 2026 pukul "
        "07.00 WIB.",
        "Bookings for 21 December 2026 open on 7 December 2026 at 07.00 WIB.",
    )
    assert refused.value.extensions == {"opens_at": "2026-12-07T07:00:00+07:00"}


def test_a_city_in_eastern_indonesia_opens_on_its_own_clock() -> None:
    papua = _window(7, time(8, 0), JAYAPURA)
    # 22:30 UTC on Sunday is 07:30 WIT on Monday: before Jayapura's 08:00.
    now = datetime(2026, 12, 6, 22, 30, tzinfo=UTC)

    with pytest.raises(BookingNotOpenYet) as refused:
        check_visit_date(MONDAY + timedelta(days=7), now=now, window=papua)

    assert refused.value.extensions == {"opens_at": "2026-12-07T08:00:00+09:00"}
    assert _details(refused.value)[1] == (
        "Bookings for 14 December 2026 open on 7 December 2026 at 08.00 WIT."
    )
    check_visit_date(MONDAY + timedelta(days=7), now=now + timedelta(minutes=30), window=papua)


def test_before_the_hour_the_last_bookable_day_is_one_less() -> None:
    with pytest.raises(VisitDateBeyondHorizon) as refused:
        check_visit_date(date(2026, 12, 22), now=at(MONDAY, 6), window=WINDOW)

    assert refused.value.extensions == {
        "last_bookable_date": "2026-12-20",
        "opens_at": "2026-12-08T07:00:00+07:00",
    }


def test_a_zero_horizon_books_only_today_once_it_has_opened() -> None:
    today_only = _window(0)

    check_visit_date(MONDAY, now=MONDAY_MORNING, window=today_only)
    with pytest.raises(VisitDateBeyondHorizon):
        check_visit_date(MONDAY + timedelta(days=1), now=MONDAY_MORNING, window=today_only)
    with pytest.raises(BookingNotOpenYet):
        check_visit_date(MONDAY, now=at(MONDAY, 6), window=today_only)


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
        check_visit_date(date(2026, 10, 1), now=at(date(2026, 10, 2), 9), window=WINDOW)

    assert _details(refused.value) == (
        "Tanggal 1 Oktober 2026 sudah lewat; hari ini tanggal 2 Oktober 2026.",
        "1 October 2026 has passed; today is 2 October 2026.",
    )


def test_a_date_beyond_the_horizon_names_the_last_bookable_day_in_words() -> None:
    with pytest.raises(VisitDateBeyondHorizon) as refused:
        check_visit_date(date(2026, 10, 20), now=at(date(2026, 10, 1), 9), window=WINDOW)

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


@pytest.mark.parametrize(("active", "limit"), [(0, 1), (0, 3), (2, 3)])
def test_a_citizen_below_the_limit_may_book(active: int, limit: int) -> None:
    check_booking_limit(active_bookings=active, limit=limit)


@pytest.mark.parametrize(("active", "limit"), [(1, 1), (3, 3), (4, 3)])
def test_a_citizen_at_the_limit_is_told_it_and_that_cancelling_frees_a_place(
    active: int, limit: int
) -> None:
    with pytest.raises(TooManyActiveBookings) as refused:
        check_booking_limit(active_bookings=active, limit=limit)

    assert refused.value.status == 409
    assert refused.value.code == "too_many_active_bookings"
    assert refused.value.extensions == {"max_active_bookings": limit}
    assert _details(refused.value) == (
        "Anda sudah memiliki pendaftaran aktif sebanyak yang boleh dimiliki satu warga "
        f"sekaligus (batas: {limit}). Membatalkan salah satunya memberi tempat untuk "
        "pendaftaran ini.",
        "You already hold the most active bookings one citizen may hold at once "
        f"(limit: {limit}). Cancelling one of them frees a place for this booking.",
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
