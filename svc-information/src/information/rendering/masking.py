"""Personal numbers and secrets kept out of what a notice says.

Events carry ids, never a NIK or a phone number, but some carry text an officer typed (a
revision note, a rejection's or a refund's reason) or a technical message (why a service is
not ready), and a person may have typed a NIK, a family-card number or a phone number into
it, or a connection string may quote its password. Such text is redacted when a notice is
drafted (so the stored parameters hold none of it) and again where a template prints it.
"""

import re

import phonenumbers

KEPT_DIGITS = 4
"""A masked number shows its last four digits, as the inbox shows a family card's."""

_CIVIL_NUMBER = re.compile(
    r"(?<!\d)(?:\d{16,}"  # a NIK or a family-card (KK) number as the registry prints it
    r"|\d{4}([ .-])\d{4}\1\d{4}\1\d{4}"  # in groups of four, as people copy it off a card
    r"|\d{6}([ .-])\d{6}\2\d{4})(?!\d)"  # region, birth date and serial apart (PPRRSS DDMMYY NNNN)
)
_URL_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")
_NAMED_SECRET = re.compile(
    r"\b(password|passwd|pwd|secret|token|api[_-]?key)(\s*[=:]\s*)[^\s)\]}'\",;]+",
    re.IGNORECASE,
)
_PHONE_REGION = "ID"
"""Numbers written without a country code are read as Indonesian (``0812...``)."""


def mask_identifier(value: str) -> str:
    """One identifier with all but its last four digits hidden: ``************0001``.

    Separators go too, so the mask does not tell how the number was written.
    """
    digits = re.sub(r"\D", "", value)
    return "*" * max(len(digits) - KEPT_DIGITS, 0) + digits[-KEPT_DIGITS:]


def _mask_phone_numbers(text: str) -> str:
    # libphonenumber finds numbers as people write them (``0812-3456-7890``, ``+62 812 ...``,
    # ``(021) 5588 1234``) and leaves amounts, dates and permit numbers alone.
    matches = list(
        phonenumbers.PhoneNumberMatcher(text, _PHONE_REGION, leniency=phonenumbers.Leniency.VALID)
    )
    for match in reversed(matches):  # from the end, so earlier positions stay valid
        text = text[: match.start] + mask_identifier(match.raw_string) + text[match.end :]
    return text


def redact(text: str, *, phone_numbers: bool = True) -> str:
    """``text`` with every NIK and family-card number in it masked, phone numbers too unless
    ``phone_numbers`` is False (a public announcement's hotline), and passwords, tokens and
    the credentials of a URL replaced by ``***``."""
    text = _CIVIL_NUMBER.sub(lambda match: mask_identifier(match.group()), text)
    if phone_numbers:
        text = _mask_phone_numbers(text)
    text = _URL_CREDENTIALS.sub("***@", text)
    return _NAMED_SECRET.sub(lambda match: f"{match.group(1)}{match.group(2)}***", text)
