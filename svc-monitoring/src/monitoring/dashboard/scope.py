"""What every dashboard page shows its figures over, and the small parts pages share.

A page's scope is a period of the city's days, and on the permits pages a permit type and a
district; links keep the scope, so a drill-down never loses the period chosen.
"""

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from kota_shared.i18n import Message
from monitoring.filters import Period
from monitoring.messages import _
from monitoring.permits.figures import PermitGrouping

DAILY_UP_TO_DAYS = 62
"""A longer period is drawn a month per point rather than a day per point."""
UNKNOWN_DISTRICT = _("District not recorded")


def days(period: Period) -> Iterator[date]:
    for offset in range(period.days):
        yield period.since + timedelta(days=offset)


def months(period: Period) -> Iterator[date]:
    month = period.since.replace(day=1)
    while month <= period.until:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


def time_grouping(period: Period) -> PermitGrouping:
    return PermitGrouping.DAY if period.days <= DAILY_UP_TO_DAYS else PermitGrouping.MONTH


def timeline(period: Period) -> list[date]:
    """Every point of a period's time series, so a chart has no gaps where nothing happened."""
    if time_grouping(period) is PermitGrouping.DAY:
        return list(days(period))
    return list(months(period))


def district_label(code: str, districts: Mapping[str, str]) -> str | Message:
    """``36.71.01 Tangerang``; the code alone if the city's list does not name it."""
    if not code:
        return UNKNOWN_DISTRICT
    name = districts.get(code)
    return f"{code} {name}" if name else code


def link(path: str, period: Period, **parameters: str | None) -> str:
    """``path`` with the period and the given (non-empty) parameters."""
    query: dict[str, Any] = {"from": period.since.isoformat(), "to": period.until.isoformat()}
    query |= {name: value for name, value in parameters.items() if value}
    return f"{path}?{urlencode(query)}"
