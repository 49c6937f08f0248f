"""Working days, because PP 28/2025 makes service-level deadlines binding in working days.

A working day is Monday to Friday, minus holidays, in the city's local time. Holidays come from
two places: dates the city configures (cuti bersama, local holidays) and, optionally, a rule set
asked one date at a time, so a deadline that runs into a year nobody listed still skips that
year's holidays.
"""

from collections.abc import Container, Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Self
from zoneinfo import ZoneInfo

from holidays import country_holidays

from kota_shared.clock import local_date

JAKARTA = ZoneInfo("Asia/Jakarta")
_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


class WorkingCalendar:
    """Counts working days in one timezone; a day is whole, from local midnight to midnight.

    Deadlines fall on local midnight, which exists every day in Indonesia's zones (no DST).
    """

    def __init__(
        self,
        holidays: Iterable[date],
        *,
        timezone: ZoneInfo = JAKARTA,
        rules: Container[date] = frozenset(),
    ) -> None:
        """`holidays` are fixed dates; `rules` is asked `day in rules` for any date, any year."""
        self.timezone = timezone
        self._holidays = frozenset(holidays)
        self._rules = rules

    @classmethod
    def for_indonesia(
        cls,
        extra_holidays: Iterable[date] = (),
        *,
        years: Iterable[int],
        timezone: ZoneInfo = JAKARTA,
    ) -> Self:
        """National public holidays plus the city's own days off.

        `years` are computed up front; any other year is computed on first use (the `holidays`
        object expands itself), so no deadline silently misses a holiday. National holidays
        only: cuti bersama are the city's call, so they belong in `extra_holidays`.
        """
        national = country_holidays("ID", years=years)
        return cls(extra_holidays, timezone=timezone, rules=national)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < _SATURDAY and day not in self._holidays and day not in self._rules

    def deadline(self, start: datetime, working_days: int) -> datetime:
        """When `working_days` working days after `start` have passed.

        Counting starts on the first working day after start's local date, so the day of
        submission never counts. The result is local midnight after the last counted day and is
        exclusive: the deadline has passed once `now >= deadline`.
        """
        if working_days < 1:
            raise ValueError(f"working_days must be at least 1, not {working_days}")
        day = self._local_date(start)
        remaining = working_days
        while remaining:
            day += _ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return datetime.combine(day + _ONE_DAY, time(), tzinfo=self.timezone)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Whole working days elapsed from `start` to `end`, counted as `deadline` counts them.

        So `working_days_between(start, deadline(start, n)) == n`; 0 if `end` is not later.
        """
        first = self._local_date(start) + _ONE_DAY
        return sum(self.is_working_day(day) for day in _days(first, self._local_date(end)))

    def _local_date(self, moment: datetime) -> date:
        # Refuses a naive time, which would be read in the server's zone, not the city's.
        return local_date(moment, self.timezone)


def _days(first: date, stop: date) -> Iterator[date]:
    """Each date from `first` up to, not including, `stop`."""
    day = first
    while day < stop:
        yield day
        day += _ONE_DAY
