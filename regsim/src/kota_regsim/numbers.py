"""The two numbers of the civil registry and their rules: the NIK and the family card number.

NIK, ``PPRRSS DDMMYY NNNN``: the kecamatan of first registration, the date of birth with 40
added to a woman's day, a serial from 0001. Family card (KK) number, ``PPRRSS DDMMYY NNNN``:
the kecamatan that issued it, the day the number was issued, a serial from 0001. Both are
unique; the registry hands out the next unused serial (`kota_regsim.population.Registry`).

A card keeps its number when it is re-issued after a change (a birth, someone moving in), so
its issue date (``TGL_TERBIT_KK``) may be later than the date in its number, never earlier.
"""

from datetime import date
from typing import Literal

from kota_regsim import regions

Sex = Literal["male", "female"]

NUMBER_LENGTH = 16
FEMALE_DAY_OFFSET = 40
MAX_SERIAL = 9999


class InvalidNumber(ValueError):
    """Not a valid NIK or KK number; the message says why."""


def date_digits(day: date, *, sex: Sex = "male") -> str:
    """``DDMMYY``, with 40 added to the day for a woman."""
    offset = FEMALE_DAY_OFFSET if sex == "female" else 0
    return f"{day.day + offset:02d}{day.month:02d}{day.year % 100:02d}"


def compose(region: str, day: date, serial: int, *, sex: Sex = "male") -> str:
    """The number for six region digits, a date and a serial."""
    if not 1 <= serial <= MAX_SERIAL:
        raise InvalidNumber(f"a serial is 0001-{MAX_SERIAL}, not {serial}")
    return f"{region}{date_digits(day, sex=sex)}{serial:04d}"


def check_nik(nik: str, *, birth_date: date, sex: Sex) -> None:
    """Raise `InvalidNumber` unless ``nik`` is a NIK of someone of this birth date and sex.

    The two year digits are compared, not a century guessed from them: the registry knows
    the whole date, and a NIK cannot say more.
    """
    _check_shape(nik, "NIK")
    if nik[:2] not in regions.PROVINCES:
        raise InvalidNumber("the NIK's first two digits are not a province code")
    if nik[:4] not in regions.REGENCIES:
        raise InvalidNumber("the NIK's digits 3-4 are not a regency or city of that province")
    if nik[:4] == regions.CITY_CODE.replace(".", ""):
        if nik[:6] not in regions.KECAMATAN_BY_DIGITS:
            raise InvalidNumber("the NIK's digits 5-6 are not a kecamatan of Kota Tangerang")
    elif nik[4:6] == "00":
        raise InvalidNumber("the NIK's digits 5-6 are not a kecamatan code")
    if nik[6:12] != date_digits(birth_date, sex=sex):
        raise InvalidNumber(
            "the NIK's digits 7-12 are not this date of birth (DDMMYY, day + 40 for a woman)"
        )
    if nik[12:] == "0000":
        raise InvalidNumber("the NIK's serial (its last four digits) starts from 0001")


def check_family_card_number(number: str, *, kecamatan: regions.Kecamatan) -> date:
    """The date in a KK number issued by ``kecamatan``; `InvalidNumber` if it is not one."""
    _check_shape(number, "family card number")
    if number[:6] != kecamatan.digits:
        raise InvalidNumber(
            f"a family card number starts with its kecamatan's code ({kecamatan.digits})"
        )
    day, month, year = int(number[6:8]), int(number[8:10]), int(number[10:12])
    try:
        # The simulator's cards are all numbered in 2000 or later (the SIAK era).
        issued = date(2000 + year, month, day)
    except ValueError:
        raise InvalidNumber(
            "the family card number's digits 7-12 are not a real date (DDMMYY)"
        ) from None
    if number[12:] == "0000":
        raise InvalidNumber("the family card number's serial starts from 0001")
    return issued


def _check_shape(number: str, what: str) -> None:
    if len(number) != NUMBER_LENGTH or not number.isascii() or not number.isdigit():
        raise InvalidNumber(f"a {what} is {NUMBER_LENGTH} digits")
