"""How long a text is as SMS: its alphabet and how many segments a phone receives.

One rule for the suite, so a template checked against the SMS limits and the provider
simulator's answer agree. The alphabet is GSM 03.38 (GSM-7) when every character is in it,
the `gsm0338` codec deciding: characters of its extension table (``{ } [ ] ~ \\ | ^ €``)
take two septets, an escape and the character. Any other character makes the whole text
UCS-2 (UTF-16, where a character outside the Basic Multilingual Plane, an emoji, takes two
units). A text that fits one SMS has 160 septets or 70 units; a longer one is sent in
parts of 153 septets or 67 units (the rest of each part is its concatenation header), and a
two-unit character is never split across two parts.
"""

from dataclasses import dataclass
from typing import Literal

import gsm0338  # noqa: F401 - registers the "gsm03.38" codec

Encoding = Literal["GSM-7", "UCS-2"]

SINGLE_UNITS: dict[Encoding, int] = {"GSM-7": 160, "UCS-2": 70}
PART_UNITS: dict[Encoding, int] = {"GSM-7": 153, "UCS-2": 67}


@dataclass(frozen=True)
class SmsLength:
    encoding: Encoding
    units: int
    """Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text."""
    segments: int
    """SMS parts the phone receives; an empty text is still one SMS."""


def _gsm_units(text: str) -> list[int] | None:
    try:
        return [len(character.encode("gsm03.38")) for character in text]
    except UnicodeEncodeError:
        return None


def measure(text: str) -> SmsLength:
    gsm = _gsm_units(text)
    encoding: Encoding = "GSM-7" if gsm is not None else "UCS-2"
    widths = gsm if gsm is not None else [len(c.encode("utf-16-be")) // 2 for c in text]
    units = sum(widths)
    if units <= SINGLE_UNITS[encoding]:
        return SmsLength(encoding, units, 1)
    segments, room = 1, PART_UNITS[encoding]
    for width in widths:
        if width > room:
            segments, room = segments + 1, PART_UNITS[encoding]
        room -= width
    return SmsLength(encoding, units, segments)
