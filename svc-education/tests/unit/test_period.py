"""The admission period: explicit settings, the defaults a development suite runs with, and
which local day is open."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from education.admission.period import configured_period
from education.config import EducationSettings

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_explicit_settings_are_taken_as_they_are() -> None:
    period = EducationSettings(
        admission_year=2027,
        registration_opens_on=date(2027, 6, 2),
        registration_closes_on=date(2027, 6, 20),
        age_reference_date=date(2027, 7, 1),
    ).admission_period(now=datetime(2026, 11, 30, tzinfo=UTC))

    assert (period.year, period.opens_on, period.closes_on, period.age_reference_date) == (
        2027,
        date(2027, 6, 2),
        date(2027, 6, 20),
        date(2027, 7, 1),
    )


@pytest.mark.parametrize(
    ("today", "year", "opens_on", "closes_on"),
    [
        # Unset, the period admits for the coming school year and is open today.
        (date(2026, 11, 30), 2027, date(2026, 11, 1), date(2026, 12, 31)),
        (date(2026, 12, 15), 2027, date(2026, 12, 1), date(2027, 1, 31)),
        (date(2027, 5, 10), 2027, date(2027, 5, 1), date(2027, 6, 30)),
        # Never past the day before the school year starts.
        (date(2027, 6, 20), 2027, date(2027, 6, 1), date(2027, 6, 30)),
        (date(2027, 7, 1), 2028, date(2027, 7, 1), date(2027, 8, 31)),
    ],
)
def test_defaults_keep_a_development_suite_open(
    today: date, year: int, opens_on: date, closes_on: date
) -> None:
    period = configured_period(today=today, timezone=JAKARTA)

    assert (period.year, period.opens_on, period.closes_on) == (year, opens_on, closes_on)
    assert period.age_reference_date == date(year, 7, 1)
    assert period.opens_on <= today <= period.closes_on


def test_the_age_reference_date_follows_a_configured_year() -> None:
    period = configured_period(today=date(2026, 11, 30), timezone=JAKARTA, year=2028)
    assert period.age_reference_date == date(2028, 7, 1)


def test_closing_before_opening_is_refused() -> None:
    with pytest.raises(ValueError, match="closes"):
        configured_period(
            today=date(2027, 1, 1),
            timezone=JAKARTA,
            opens_on=date(2027, 6, 10),
            closes_on=date(2027, 6, 1),
        )


def test_the_last_day_is_open_until_midnight_in_the_city_not_in_utc() -> None:
    period = configured_period(
        today=date(2027, 1, 1),
        timezone=JAKARTA,
        opens_on=date(2027, 6, 2),
        closes_on=date(2027, 6, 20),
    )
    # 23:59 on 20 June in Jakarta is 16:59 UTC; 00:00 on 21 June is 17:00 UTC on the 20th.
    assert period.is_open(datetime(2027, 6, 20, 16, 59, tzinfo=UTC))
    assert not period.is_open(datetime(2027, 6, 20, 17, 0, tzinfo=UTC))
    # And it opens at midnight in Jakarta: 17:00 UTC the day before.
    assert not period.is_open(datetime(2027, 6, 1, 16, 59, tzinfo=UTC))
    assert period.is_open(datetime(2027, 6, 1, 17, 0, tzinfo=UTC))
