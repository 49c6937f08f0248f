"""What a permit certificate shows: its number and the holder's masked name."""

import re
import unicodedata

# The prefix is the permit type code as applications accept it; the city code is the 4-digit
# BPS code of the regency or city. The sequence is zero-padded to 6 digits and may grow to 10,
# past any real yearly count, which keeps parsing bounded.
_PERMIT_NUMBER = re.compile(r"([A-Z][A-Z0-9_]{1,39})/([0-9]{4})/([0-9]{4})/([0-9]{6,10})")


def format_permit_number(prefix: str, city_code: str, year: int, sequence: int) -> str:
    """Return the permit number, e.g. ``PBG/3671/2026/000123``.

    Raises ValueError for parts that would give a number `parse_permit_number` rejects, so
    every number issued can be looked up again.
    """
    number = f"{prefix}/{city_code}/{year:04d}/{sequence:06d}"
    if year < 1000 or sequence < 1 or _PERMIT_NUMBER.fullmatch(number) is None:
        raise ValueError(f"not a valid permit number: {number!r}")
    return number


def parse_permit_number(text: str) -> tuple[str, str, int, int]:
    """Return ``(prefix, city_code, year, sequence)`` of a number as it was issued.

    Only the exact issued spelling is accepted (no extra zeros, case changes or whitespace),
    so one permit never answers to two numbers; anything else raises ValueError.
    """
    match = _PERMIT_NUMBER.fullmatch(text)
    if match is None:
        raise ValueError(f"not a permit number: {text!r}")
    parts = match[1], match[2], int(match[3]), int(match[4])
    if format_permit_number(*parts) != text:
        raise ValueError(f"not a permit number as issued: {text!r}")
    return parts


def mask_name(full_name: str) -> str:
    """Return the holder's name for the public verification page: "Budi Santoso" → "B*** S******".

    Each word keeps its first letter and its length: enough for someone holding the paper to
    see it matches, not enough to learn the name. Whitespace is collapsed first, so the spacing
    in the record reveals nothing, and a blank name gives "" rather than a placeholder.
    """
    return " ".join(_mask_word(word) for word in unicodedata.normalize("NFC", full_name).split())


def _mask_word(word: str) -> str:
    first, *rest = _letters(word)
    return first + "*" * len(rest)


def _letters(word: str) -> list[str]:
    """Split a word into letters with their combining marks (a stdlib stand-in for graphemes).

    A mark left after NFC (e.g. on letters with no precomposed form) belongs to the letter
    before it, so it is neither shown after the first letter nor counted as a star.
    """
    letters: list[str] = []
    for char in word:
        if letters and unicodedata.category(char).startswith("M"):
            letters[-1] += char
        else:
            letters.append(char)
    return letters
