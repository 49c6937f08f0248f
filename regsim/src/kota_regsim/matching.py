"""Verification by element (``CALL_VERIFY_BY_ELEMEN``): does what the agency holds match?

Each element sent is answered ``Sesuai`` or ``Tidak Sesuai``, never with the stored value.
Names and places of birth are compared as people type them, ignoring case and spaces, by a
similarity score 0-100 (difflib's ratio) held against the caller's threshold, and the score
is shown: ``Sesuai (97)``. Dates, sex and the card number must be equal.
"""

import difflib
from collections.abc import Mapping
from datetime import date, datetime

from kota_regsim.population import FamilyCard, Person

MATCH = "Sesuai"
NO_MATCH = "Tidak Sesuai"

SCORED_ELEMENTS = ("NAMA_LGKP", "TMPT_LHR")
EXACT_ELEMENTS = ("TGL_LHR", "JENIS_KLMIN", "NO_KK")
ELEMENTS = (*SCORED_ELEMENTS, *EXACT_ELEMENTS)
"""What an agency may ask to check, besides the NIK itself, in the order answered."""

DATE_FORMAT = "%d-%m-%Y"
SEX_WORDS = {"male": "LAKI-LAKI", "female": "PEREMPUAN"}
_SEX_SPELLINGS = {"LAKI-LAKI": "male", "L": "male", "PEREMPUAN": "female", "P": "female"}


def similarity(given: str, stored: str) -> int:
    """0-100: how alike two names are, case and spaces ignored."""
    a, b = _normalised(given), _normalised(stored)
    if not a and not b:
        return 100
    return round(difflib.SequenceMatcher(None, a, b).ratio() * 100)


def verify(
    person: Person, card: FamilyCard, *, elements: Mapping[str, str], threshold: int
) -> dict[str, str]:
    """The answer for each element in ``elements`` (NIK first: it was found)."""
    stored = {
        "NAMA_LGKP": person.name,
        "TMPT_LHR": person.place_of_birth,
    }
    answer = {"NIK": MATCH}
    for element in ELEMENTS:
        if element not in elements:
            continue
        given = elements[element]
        if element in SCORED_ELEMENTS:
            score = similarity(given, stored[element])
            verdict = MATCH if score >= threshold else NO_MATCH
            answer[element] = f"{verdict} ({score})"
        else:
            answer[element] = MATCH if _equal(element, given, person, card) else NO_MATCH
    return answer


def _equal(element: str, given: str, person: Person, card: FamilyCard) -> bool:
    if element == "TGL_LHR":
        return parse_date(given) == person.birth_date
    if element == "JENIS_KLMIN":
        return _SEX_SPELLINGS.get(given.strip().upper()) == person.sex
    return given.strip() == card.number


def parse_date(value: str) -> date | None:
    """``dd-mm-yyyy``, as Dukcapil writes dates; None if it is not one."""
    try:
        return datetime.strptime(value.strip(), DATE_FORMAT).date()
    except ValueError:
        return None


def format_date(value: date) -> str:
    return value.strftime(DATE_FORMAT)


def _normalised(value: str) -> str:
    return "".join(value.split()).casefold()
