"""The admission period of one year: when registration is open and the date ages count at.

Dates are the city's local dates (registration that "closes on 30 June" closes at midnight
in Tangerang, not in UTC). Whatever the settings leave unset has a default that keeps a
development suite open for registration on the day it starts (see `configured_period`).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kota_shared.clock import local_date

SCHOOL_YEAR_STARTS = (7, 1)
"""1 July: the school year starts, and ages are counted on this day unless set otherwise."""


@dataclass(frozen=True)
class AdmissionPeriod:
    year: int
    """The year the admitted pupils start school (the school year year/year+1)."""
    opens_on: date
    closes_on: date
    """The last day registration is open (inclusive)."""
    age_reference_date: date
    timezone: ZoneInfo

    def local_date(self, moment: datetime) -> date:
        return local_date(moment, self.timezone)

    def is_open(self, moment: datetime) -> bool:
        return self.opens_on <= self.local_date(moment) <= self.closes_on


def _school_year_start(year: int) -> date:
    return date(year, *SCHOOL_YEAR_STARTS)


def _end_of_next_month(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def configured_period(
    *,
    today: date,
    timezone: ZoneInfo,
    year: int | None = None,
    opens_on: date | None = None,
    closes_on: date | None = None,
    age_reference_date: date | None = None,
) -> AdmissionPeriod:
    """The period the settings describe; each value left out takes its default.

    - year: the school year starting on the next 1 July (``today``'s year until 30 June);
    - the age reference date: 1 July of that year;
    - opening: the first day of ``today``'s month; closing: the last day of the next month,
      or the day before the reference date if that comes first.

    So a suite started with no admission settings takes registrations at once, for the coming
    school year. A city sets every value for a real admission.
    """
    if year is None:
        year = today.year if today < _school_year_start(today.year) else today.year + 1
    if age_reference_date is None:
        age_reference_date = _school_year_start(year)
    if opens_on is None:
        opens_on = today.replace(day=1)
    if closes_on is None:
        last_day_before_school = age_reference_date - timedelta(days=1)
        closes_on = max(opens_on, min(_end_of_next_month(today), last_day_before_school))
    if closes_on < opens_on:
        raise ValueError(f"registration closes ({closes_on}) before it opens ({opens_on})")
    return AdmissionPeriod(
        year=year,
        opens_on=opens_on,
        closes_on=closes_on,
        age_reference_date=age_reference_date,
        timezone=timezone,
    )
