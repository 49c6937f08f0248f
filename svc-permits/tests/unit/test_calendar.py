"""Working-day deadlines against real Indonesian holidays, and the properties every deadline has."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from permits.calendar import JAKARTA, WorkingCalendar

JAYAPURA = ZoneInfo("Asia/Jayapura")
UTC = ZoneInfo("UTC")
# Cuti bersama around Nyepi and Idul Fitri 2026, as a city would configure them.
CUTI_BERSAMA_2026 = [date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)]

NATIONAL = WorkingCalendar.for_indonesia(years=[2026])


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


# Which days count.


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),  # New Year's Day, a Thursday
        date(2026, 3, 19),  # Nyepi, a Thursday
        date(2026, 6, 1),  # Pancasila Day, a Monday
        date(2026, 8, 17),  # Independence Day, a Monday
        date(2026, 12, 25),  # Christmas, a Friday
        date(2026, 8, 15),  # a Saturday
        date(2026, 8, 16),  # a Sunday
    ],
    ids=str,
)
def test_holidays_and_weekends_are_not_working_days(day: date) -> None:
    assert not NATIONAL.is_working_day(day)


def test_ordinary_weekdays_are_working_days() -> None:
    assert NATIONAL.is_working_day(date(2026, 8, 18))
    # The library puts Idul Fitri 2026 on Saturday 21 and Sunday 22 March; the Friday before is
    # only cuti bersama, which the city must configure itself.
    assert NATIONAL.is_working_day(date(2026, 3, 20))


def test_configured_extra_holidays_are_skipped() -> None:
    start = wib(2026, 3, 17, 10)  # Tuesday
    assert NATIONAL.deadline(start, 1) == wib(2026, 3, 19)
    city = WorkingCalendar.for_indonesia(CUTI_BERSAMA_2026, years=[2026])
    # Wed 18 cuti, Thu 19 Nyepi, Fri 20 cuti, weekend, Mon 23 and Tue 24 cuti: Wednesday 25.
    assert city.deadline(start, 1) == wib(2026, 3, 26)


def test_plain_calendar_uses_only_the_given_days() -> None:
    calendar = WorkingCalendar([date(2026, 8, 10)])
    assert not calendar.is_working_day(date(2026, 8, 10))
    assert calendar.is_working_day(date(2026, 8, 17))


# Deadlines.


def test_friday_evening_submission_is_due_at_the_end_of_monday() -> None:
    assert NATIONAL.deadline(wib(2026, 8, 7, 19), 1) == wib(2026, 8, 11)


def test_friday_evening_submission_before_a_monday_holiday_is_due_on_tuesday() -> None:
    assert NATIONAL.deadline(wib(2026, 8, 14, 19), 1) == wib(2026, 8, 19)


def test_deadline_runs_into_a_year_that_was_not_listed() -> None:
    start = wib(2026, 12, 31, 15)  # Thursday; 1 January 2027 is a Friday holiday
    assert NATIONAL.deadline(start, 1) == wib(2027, 1, 5)
    # Tuesday 5 January 2027 is Isra' Mi'raj.
    assert NATIONAL.deadline(start, 2) == wib(2027, 1, 7)


def test_start_is_read_on_the_citys_local_date() -> None:
    start = datetime(2026, 8, 13, 18, tzinfo=UTC)  # already Friday 14 August in Jakarta
    assert NATIONAL.deadline(start, 1) == wib(2026, 8, 19)


def test_deadline_is_local_midnight_in_the_calendars_timezone() -> None:
    papua = WorkingCalendar.for_indonesia(years=[2026], timezone=JAYAPURA)
    start = datetime(2026, 8, 6, 16, tzinfo=UTC)  # Thursday 23:00 WIB, Friday 01:00 WIT
    assert NATIONAL.deadline(start, 1) == wib(2026, 8, 8)
    deadline = papua.deadline(start, 1)
    assert deadline == datetime(2026, 8, 11, tzinfo=JAYAPURA)
    assert deadline.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize("working_days", [0, -1])
def test_deadline_needs_at_least_one_working_day(working_days: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        NATIONAL.deadline(wib(2026, 8, 3), working_days)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="no timezone"):
        NATIONAL.deadline(datetime(2026, 8, 3, 9), 1)


# Elapsed working days.


def test_working_days_between_counts_whole_days_after_the_start_date() -> None:
    friday_evening = wib(2026, 8, 7, 19)
    assert NATIONAL.working_days_between(friday_evening, wib(2026, 8, 10, 12)) == 0
    assert NATIONAL.working_days_between(friday_evening, wib(2026, 8, 11)) == 1
    # Monday 17 August is Independence Day.
    assert NATIONAL.working_days_between(friday_evening, wib(2026, 8, 19)) == 6


def test_working_days_between_is_zero_when_end_is_not_later() -> None:
    assert NATIONAL.working_days_between(wib(2026, 8, 11), wib(2026, 8, 4)) == 0


# Properties, over several years and start times given in different zones.

CITY = WorkingCalendar.for_indonesia(
    [date(2026, 3, 18), date(2027, 3, 9), date(2028, 12, 29)], years=range(2024, 2032)
)

starts = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2030, 12, 31),
    timezones=st.sampled_from([JAKARTA, JAYAPURA, UTC, ZoneInfo("America/New_York")]),
)
counts = st.integers(min_value=1, max_value=60)


def local_date(moment: datetime) -> date:
    return moment.astimezone(JAKARTA).date()


@given(starts, counts)
def test_deadline_closes_a_working_day(start: datetime, working_days: int) -> None:
    deadline = CITY.deadline(start, working_days)
    assert deadline.astimezone(JAKARTA).time() == time()
    assert CITY.is_working_day(local_date(deadline) - timedelta(days=1))


@given(starts, counts)
def test_exactly_n_working_days_lie_between_start_date_and_deadline(
    start: datetime, working_days: int
) -> None:
    deadline = CITY.deadline(start, working_days)
    day, counted = local_date(start) + timedelta(days=1), 0
    while day < local_date(deadline):
        counted += CITY.is_working_day(day)
        day += timedelta(days=1)
    assert counted == working_days
    assert CITY.working_days_between(start, deadline) == working_days
    # Exclusive: a moment before the deadline, the last day is not yet whole.
    assert CITY.working_days_between(start, deadline - timedelta(microseconds=1)) == (
        working_days - 1
    )


@given(starts, counts)
def test_deadline_grows_with_the_number_of_days(start: datetime, working_days: int) -> None:
    assert CITY.deadline(start, working_days) < CITY.deadline(start, working_days + 1)


@given(starts, starts, counts)
def test_deadline_grows_with_the_start(first: datetime, second: datetime, days: int) -> None:
    earlier, later = sorted([first, second])
    assert CITY.deadline(earlier, days) <= CITY.deadline(later, days)
