"""NIK (Nomor Induk Kependudukan): parse, validate, derive birth date and sex, mask.

``PPRRSS DDMMYY NNNN``: province, regency/city and district of first registration; the
birth date with 40 added to a woman's day; a serial from 0001. Pure functions, no I/O: the
NIK is personal data, so nothing here logs it, and `mask_nik` is what display code shows.
"""

import enum
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from kota_gateway.identity.accounts.regions import REGIONS, RegionTable
from kota_gateway.messages import _
from kota_shared.i18n import Message

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40
_SEPARATORS = re.compile(r"[\s.\-]")


class Sex(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class InvalidNik(ValueError):
    """Not a NIK; ``message`` says why in words a citizen can act on (no digits echoed), in
    the language the citizen reads, and ``reason`` is the same in English (logs, tests)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message

    @property
    def reason(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Nik:
    """A valid NIK and what it says about its holder."""

    value: str
    birth_date: date
    sex: Sex
    serial: int

    @property
    def province_code(self) -> str:
        return self.value[:2]

    @property
    def regency_code(self) -> str:
        return self.value[:4]

    @property
    def district_code(self) -> str:
        return self.value[:6]

    def masked(self) -> str:
        return mask_nik(self.value)

    def __repr__(self) -> str:  # a NIK must not end up whole in a log line or a traceback
        return f"Nik({self.masked()!r})"


def compact(value: str) -> str:
    """Drop the spaces, dots and dashes people type between the groups."""
    return _SEPARATORS.sub("", value)


def mask_nik(value: str) -> str:
    """The display form: regency and serial kept, the rest hidden (``3671**********0001``)."""
    return f"{value[:4]}{'*' * 10}{value[-4:]}"


def birth_year(two_digits: int, *, today: date) -> int:
    """20YY unless YY is after this year's last two digits, then 19YY."""
    century = 2000 if two_digits <= today.year % 100 else 1900
    return century + two_digits


def parse_nik(value: str, *, today: date | None = None, regions: RegionTable = REGIONS) -> Nik:
    """The NIK in ``value``, or `InvalidNik` with the reason."""
    today = today or datetime.now(UTC).date()
    number = compact(value)
    if not number.isascii() or not number.isdigit():
        raise InvalidNik(_("A NIK has only digits."))
    if len(number) != NIK_LENGTH:
        raise InvalidNik(_("A NIK has exactly {count} digits.", count=NIK_LENGTH))
    province, regency, district = number[:2], number[:4], number[4:6]
    if regions.province_name(province) is None:
        raise InvalidNik(_("The first two digits are not a province code."))
    if regions.lists_regencies_of(province):
        if regions.regency_name(regency) is None:
            raise InvalidNik(_("Digits 3-4 are not a regency or city of that province."))
    elif regency[2:] == "00":
        raise InvalidNik(_("Digits 3-4 are not a regency or city code."))
    if district == "00":
        raise InvalidNik(_("Digits 5-6 are not a district code."))
    day, month, year = int(number[6:8]), int(number[8:10]), int(number[10:12])
    sex = Sex.FEMALE if day > FEMALE_DAY_OFFSET else Sex.MALE
    if sex is Sex.FEMALE:
        day -= FEMALE_DAY_OFFSET
    try:
        born = date(birth_year(year, today=today), month, day)
    except ValueError:
        raise InvalidNik(_("Digits 7-12 are not a real date of birth.")) from None
    if born > today:
        raise InvalidNik(_("The date of birth in the NIK is in the future."))
    serial = int(number[12:])
    if serial == 0:
        raise InvalidNik(_("The last four digits (the serial) start from 0001."))
    return Nik(value=number, birth_date=born, sex=sex, serial=serial)


def disagreements(
    nik: Nik, *, birth_date: date | None = None, sex: Sex | None = None
) -> dict[str, Message]:
    """What a registration states that its NIK contradicts: field name → reason."""
    problems: dict[str, Message] = {}
    if birth_date is not None and birth_date != nik.birth_date:
        problems["birth_date"] = _("The date of birth does not match the one in the NIK.")
    if sex is not None and sex != nik.sex:
        problems["sex"] = _("The sex does not match the one in the NIK.")
    return problems
