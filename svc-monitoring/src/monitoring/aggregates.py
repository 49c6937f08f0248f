"""What every read model's figures are made of: counter columns, the unknown key, the
city's day of an event, and a group's key as exports write it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Column, Integer

from kota_shared.clock import local_date

UNKNOWN = ""
"""The key of figures whose district (or other key part) the event did not say."""


def counter(name: str, *, big: bool = False) -> Column[int]:
    """A counter column: starts at zero, never null (``big`` for sums of rupiah or seconds)."""
    return Column(name, BigInteger if big else Integer, nullable=False, server_default="0")


def city_day(moment: datetime, timezone: ZoneInfo) -> date:
    """The city's date of ``moment``: figures are per local day, as officials count them."""
    return local_date(moment, timezone)


def plain(value: object) -> object:
    """A group's key as JSON and CSV write it (a day as ``2026-11-30``)."""
    return value.isoformat() if isinstance(value, date) else value
