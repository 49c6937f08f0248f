"""The filters a notice template writes values with, in its language and the city's time.

A notice's parameters are JSON (they are stored with the notice and rendered again for each
channel), so instants and dates arrive as ISO 8601 text and amounts as whole rupiah; the
filters turn them into what a reader expects: ``Rp150.000``, ``5 Maret 2026``,
``5 Maret 2026 09.00 WIB`` (Babel's CLDR forms, as the API's messages use).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_time
from babel.numbers import format_decimal

from information.rendering.masking import redact
from kota_shared.i18n import Language, LongDate, Rupiah
from kota_shared.i18n.formats import BABEL_LOCALES


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone: an instant must say which")
    return moment


@dataclass(frozen=True)
class Formats:
    language: Language
    timezone: ZoneInfo
    """The city's (WIB in Tangerang): what the reader's clock shows."""

    def rupiah(self, amount: int) -> str:
        """``Rp150.000``."""
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError(f"an amount is whole rupiah, not {amount!r}")
        return Rupiah(amount).render(self.language)

    def number(self, count: int) -> str:
        """``12.345`` / ``12,345``."""
        return format_decimal(count, locale=BABEL_LOCALES[self.language])

    def date(self, value: str) -> str:
        """A day in words, ``5 Maret 2026``: an ISO date as it is, an instant's city date."""
        if "T" in value:
            day = _instant(value).astimezone(self.timezone).date()
        else:
            day = date.fromisoformat(value)
        return LongDate(day).render(self.language)

    def moment(self, value: str) -> str:
        """An instant on the city's clock, with its zone: ``5 Maret 2026 09.00 WIB``."""
        local = _instant(value).astimezone(self.timezone)
        clock = format_time(local.timetz(), format="short", locale=BABEL_LOCALES[self.language])
        return f"{LongDate(local.date()).render(self.language)} {clock} {local.tzname()}"

    def last_day(self, value: str) -> str:
        """The last city day before an exclusive deadline (permits' ``due_at`` is the
        midnight that ends it): ``2027-08-12T00:00+07:00`` is ``11 Agustus 2027``."""
        last = (_instant(value) - timedelta(microseconds=1)).astimezone(self.timezone).date()
        return LongDate(last).render(self.language)

    def filters(self) -> dict[str, Callable[..., str]]:
        return {
            "rupiah": self.rupiah,
            "number": self.number,
            "date": self.date,
            "moment": self.moment,
            "last_day": self.last_day,
            "mask": redact,
        }
