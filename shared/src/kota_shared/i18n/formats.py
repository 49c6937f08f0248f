"""Values written the way each language writes them: dates, days, rupiah, lists, labels.

Babel's CLDR data decides the forms (``1 Oktober 2026`` and ``Rp150.000`` in ``id_ID``,
``1 October 2026`` and ``IDR 150,000`` in ``en``), so none of them is spelled out here.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.dates import format_date, get_day_names
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal

from kota_shared.i18n.catalogue import Catalogue, render
from kota_shared.i18n.negotiation import Language

BABEL_LOCALES: dict[Language, str] = {"id": "id_ID", "en": "en_ID"}
"""English as used in Indonesia: rupiah and day-month-year order, in English words."""


_ = Catalogue("kota_shared")
"""The shared library's messages (`kota_shared.messages` cannot be imported here: it imports
this package)."""


@dataclass(frozen=True)
class Localized:
    """Text a record holds in both languages (a permit type's name, a form field's label)."""

    id: str
    en: str

    def render(self, language: Language) -> str:
        return self.id if language == "id" else self.en


@dataclass(frozen=True)
class LongDate:
    """A calendar date in words: ``1 Oktober 2026`` / ``1 October 2026``."""

    value: date

    def render(self, language: Language) -> str:
        return format_date(self.value, format="long", locale=BABEL_LOCALES[language])


@dataclass(frozen=True)
class Weekday:
    """A day of the week by its ISO number (1 is Monday): ``Senin`` / ``Monday``."""

    iso_number: int

    def render(self, language: Language) -> str:
        names = get_day_names("wide", locale=BABEL_LOCALES[language])
        return str(names[self.iso_number - 1])  # Babel counts from 0, Monday


@dataclass(frozen=True)
class Rupiah:
    """An amount of rupiah, whole (the city bills no sen): ``Rp150.000``."""

    amount: int | Decimal

    def render(self, language: Language) -> str:
        return format_currency(
            self.amount,
            "IDR",
            locale=BABEL_LOCALES[language],
            currency_digits=False,
            format="¤#,##0",
        )


@dataclass(frozen=True)
class FileSize:
    """A size as a person reads it: ``2,5 MB``, ``1.000 byte`` (binary multiples, as a
    phone's file manager counts)."""

    count: int

    def render(self, language: Language) -> str:
        locale = BABEL_LOCALES[language]
        for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
            if self.count >= size:
                return f"{format_decimal(round(self.count / size, 1), locale=locale)} {unit}"
        written = format_decimal(self.count, locale=locale)
        return _("{count} bytes", count=written).render(language)


@dataclass(frozen=True)
class Sequence:
    """Items joined as the language joins a list: ``a, b, dan c`` / ``a, b, and c``."""

    items: tuple[object, ...]

    @classmethod
    def of(cls, items: Iterable[object]) -> "Sequence":
        return cls(tuple(items))

    def render(self, language: Language) -> str:
        return format_list(
            [render(item, language) for item in self.items], locale=BABEL_LOCALES[language]
        )
