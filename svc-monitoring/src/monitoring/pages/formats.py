"""Figures written as the page's language writes them (Babel's CLDR data, as the API's
messages are): ``12.345``, ``85,7%``, ``Rp150.000``, ``5 Mar 2026``; ``—`` where there is
nothing to show (a share of nothing, a median of no case)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_compact_currency, format_decimal, format_percent

from kota_shared.i18n import Language, Rupiah
from kota_shared.i18n.formats import BABEL_LOCALES

NOTHING = "—"

Axis = Literal["count", "share", "money", "days"]
"""What a figure is: a count, a share (0 to 1), rupiah, or working days."""


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass(frozen=True)
class Formats:
    language: Language
    timezone: ZoneInfo

    @property
    def locale(self) -> str:
        return BABEL_LOCALES[self.language]

    def number(self, value: float | None) -> str:
        return NOTHING if value is None else format_decimal(value, locale=self.locale)

    def percent(self, share: float | None) -> str:
        if share is None:
            return NOTHING
        return format_percent(share, format="#,##0.0%", locale=self.locale)

    def rupiah(self, amount: int | None) -> str:
        return NOTHING if amount is None else Rupiah(amount).render(self.language)

    def short_rupiah(self, amount: int | None) -> str:
        """An amount as a headline shows it: ``Rp150 rb``, ``Rp1,2 M``."""
        if amount is None:
            return NOTHING
        return format_compact_currency(amount, "IDR", locale=self.locale, fraction_digits=1)

    def day(self, value: date | str) -> str:
        """A day in a chart or a row: ``5 Mar``."""
        return format_date(as_date(value), "d MMM", locale=self.locale)

    def month(self, value: date | str) -> str:
        """A month: ``Mar 2026``."""
        return format_date(as_date(value), "MMM yyyy", locale=self.locale)

    def date(self, value: date | str) -> str:
        """A day in full: ``5 Maret 2026``."""
        return format_date(as_date(value), "long", locale=self.locale)

    def moment(self, value: datetime) -> str:
        """An instant in the city's time: ``5 Mar 2026 09:00``."""
        return format_datetime(value, "d MMM yyyy HH:mm", tzinfo=self.timezone, locale=self.locale)

    def figure(self, value: float | str | None, axis: Axis = "count") -> str:
        """A figure of kind ``axis``; text (a suppressed cell's ``<5``) is written as it is."""
        if isinstance(value, str):
            return value
        match axis:
            case "share":
                return self.percent(value)
            case "money":
                return self.rupiah(None if value is None else int(value))
            case _:
                return self.number(value)
