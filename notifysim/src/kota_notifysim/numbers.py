"""Recipients' numbers as the providers read them: international, checked by libphonenumber.

Both providers take a number in international form, with or without its ``+``; neither
guesses a country for a national number (``0812…``). A valid number that is not a mobile
one (a landline) is taken, as a gateway takes it, and then fails to arrive by SMS.
"""

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_INTERNATIONAL = re.compile(r"\+?[1-9]\d{6,14}")


@dataclass(frozen=True)
class Recipient:
    e164: str
    """``+6281234567890``: how the inbox and the controls name the number."""
    mobile: bool

    @property
    def wa_id(self) -> str:
        """WhatsApp's id for the number: its digits, without the ``+``."""
        return self.e164.removeprefix("+")


def recipient(number: str) -> Recipient | None:
    """The recipient ``number`` names, or None if it is no valid international number."""
    if not _INTERNATIONAL.fullmatch(number):
        return None
    try:
        parsed = phonenumbers.parse("+" + number.removeprefix("+"))
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return Recipient(
        e164=phonenumbers.format_number(parsed, PhoneNumberFormat.E164),
        mobile=phonenumbers.number_type(parsed) in MOBILE_TYPES,
    )
