"""Which language to answer in, from ``Accept-Language`` (RFC 9110 §12.5.4), q-values honoured.

Indonesian is the default: no header, ``*``, or a header naming neither language gets it.
English only when the caller ranks it strictly higher (``en;q=0.1, id;q=0.9`` is Indonesian;
``en`` alone is English). Ties go to the language named first.
"""

from typing import Literal

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")
DEFAULT_LANGUAGE: Language = "id"
_LANGUAGE_OF: dict[str, Language] = {"id": "id", "in": "id", "en": "en", "*": DEFAULT_LANGUAGE}
"""A tag's primary subtag → the language it asks for (``in`` is Indonesian's withdrawn code,
still sent by old Android versions)."""
MAX_HEADER_CHARS = 1000
"""A longer header is read up to this point: the languages a person uses fit well within it."""


def _weight(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value.strip())
            except ValueError:
                return 0.0  # a malformed weight is not a preference
            return weight if 0.0 <= weight <= 1.0 else 0.0
    return 1.0


def negotiate(header: str | None) -> Language:
    """The language to answer a request whose ``Accept-Language`` is ``header``."""
    best: Language = DEFAULT_LANGUAGE
    best_weight = -1.0
    for entry in (header or "")[:MAX_HEADER_CHARS].split(","):
        tag, *parameters = entry.split(";")
        language = _LANGUAGE_OF.get(tag.strip().lower().split("-")[0])
        if language is None:
            continue
        weight = _weight(parameters)
        if weight > best_weight and weight > 0:
            best, best_weight = language, weight
    return best
