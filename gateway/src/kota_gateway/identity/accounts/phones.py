"""Indonesian phone numbers in one form (``+62…``), so one number is one account."""

import re

_TYPED_SEPARATORS = re.compile(r"[\s\-().]")
_E164_INDONESIA = re.compile(r"^\+62[1-9]\d{7,11}$")


class InvalidPhone(ValueError):
    pass


def normalise_phone(value: str) -> str:
    """``0812-3456-7890``, ``62812…`` and ``+62 812…`` all become ``+628123456789``."""
    number = _TYPED_SEPARATORS.sub("", value)
    if number.startswith("0") and not number.startswith("00"):
        number = "+62" + number[1:]
    elif number.startswith("0062"):
        number = "+" + number[2:]
    elif number.startswith("62"):
        number = "+" + number
    if not _E164_INDONESIA.fullmatch(number):
        raise InvalidPhone(
            "An Indonesian phone number starts with +62 or 0 and has 9 to 13 digits after it."
        )
    return number


def looks_like_phone(value: str) -> bool:
    try:
        normalise_phone(value)
    except InvalidPhone:
        return False
    return True
