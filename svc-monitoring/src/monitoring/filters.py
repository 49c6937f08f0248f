"""What officials narrow figures by: a period of the city's days, and how rows are grouped.

One set of query parameters for every figures endpoint, checked once here, so a request for
a year of daily rows or a period that ends before it starts is a 422 in words, never a slow
query or a 500.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlalchemy import Date, func
from sqlalchemy.sql.elements import ColumnElement

from kota_shared.clock import Now, local_date
from kota_shared.openapi import answers
from kota_shared.problems import Problem
from monitoring.messages import _

DEFAULT_DAYS = 30
MAX_DAYS = 366


class InvalidPeriod(Problem):
    status = 422
    code = "invalid_period"
    title = _("The period asked for is not valid.")


@dataclass(frozen=True)
class Period:
    """From ``since`` to ``until``, both included, in the city's days."""

    since: date
    until: date

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def covers(self, day: ColumnElement[Any]) -> ColumnElement[bool]:
        return day.between(self.since, self.until)


def period(
    request: Request,
    now: Now,
    since: Annotated[
        date | None, Query(alias="from", description="First day (default: 30 days ago).")
    ] = None,
    until: Annotated[
        date | None, Query(alias="to", description="Last day (default: today).")
    ] = None,
) -> Period:
    today = local_date(now, request.app.state.runtime.settings.timezone)
    end = until or today
    start = since or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise InvalidPeriod(_("The period's first day is after its last day."))
    period = Period(since=start, until=end)
    if period.days > MAX_DAYS:
        raise InvalidPeriod(
            _("A period may span at most {days} days; ask for a shorter one.", days=MAX_DAYS)
        )
    return period


def month_of(day: ColumnElement[Any]) -> ColumnElement[Any]:
    """The first day of ``day``'s month, for monthly rows."""
    return func.date_trunc("month", day).cast(Date)


PeriodQuery = Annotated[Period, Depends(period)]
"""The ``from`` and ``to`` of a figures request, checked."""

PERIOD_ANSWERS = answers(InvalidPeriod)
"""The ``responses`` of an operation that takes a period."""
