"""Indonesian phone numbers in one form (E.164, ``+62…``), so one number is one account.

The numbering plan is Google's libphonenumber (the `phonenumbers` package), not a pattern of
our own: it knows which prefixes are allocated, how long a number of each kind is, and which
ranges are toll-free, premium or shared-cost, and it is updated as the plan changes.

Accepted kinds: mobile and fixed-line (and the ranges the plan cannot tell apart). A phone
number here is an identifier a citizen signs in with, not a channel we text: many residents,
and most of those a kiosk officer registers, have a landline and no mobile, so refusing
fixed-line numbers would lock them out. Toll-free, premium-rate, shared-cost, universal
access (``1500…``) and VoIP ranges are refused: they name a service, not a person.
"""

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from kota_gateway.messages import _
from kota_shared.i18n import Message

REGION = "ID"
ACCEPTED_TYPES = frozenset(
    {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)

# Digits and what people type between them; anything else (letters above all, which
# libphonenumber would read as a keypad's vanity number, or an extension) is not a phone.
_TYPED = re.compile(r"\+?[\d\s\-().]+")
_SEPARATORS = re.compile(r"[\s\-().]")
_INVALID = _("An Indonesian phone number starts with +62 or 0 and has 9 to 13 digits after it.")


class InvalidPhone(ValueError):
    """Not a phone number a citizen can sign in with; ``message`` says why, in any language."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


def _international(number: str) -> str:
    """The typed digits in the form `phonenumbers.parse` reads without guessing.

    ``0062…`` is the international prefix most of the world dials; an Indonesian national
    number always starts with the trunk prefix ``0``, so digits that start with anything
    else (``62812…``) are an international number typed without its ``+``.
    """
    if number.startswith("00"):
        return "+" + number[2:]
    if number.startswith(("+", "0")):
        return number
    return "+" + number


def normalise_phone(value: str) -> str:
    """``0812-3456-7890``, ``62812…``, ``0062812…`` and ``+62 812…`` all become
    ``+6281234567890``; anything but a valid Indonesian mobile or fixed-line number raises
    `InvalidPhone`."""
    typed = value.strip()
    if not _TYPED.fullmatch(typed):
        raise InvalidPhone(_INVALID)
    try:
        number = phonenumbers.parse(_international(_SEPARATORS.sub("", typed)), REGION)
    except NumberParseException:
        number = None
    if (
        number is None
        or not phonenumbers.is_valid_number_for_region(number, REGION)
        or phonenumbers.number_type(number) not in ACCEPTED_TYPES
    ):
        raise InvalidPhone(_INVALID)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def looks_like_phone(value: str) -> bool:
    try:
        normalise_phone(value)
    except InvalidPhone:
        return False
    return True
