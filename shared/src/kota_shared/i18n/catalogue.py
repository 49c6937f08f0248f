"""Messages marked in the code and translated from a package's gettext catalogue.

A `Message` is the English text (the gettext ``msgid``) with its parameters, translated only
when rendered for one language, so the same problem raised once can answer an Indonesian
and an English caller. Parameters are filled in after translation, each rendered in the same
language when it knows how (`Localized`, `LongDate`, `Rupiah`, another `Message`).

Catalogues are read from the ``.po`` files themselves (no compiled ``.mo`` to keep in step).
An entry that is missing, empty or fuzzy falls back to the English text, so a message
added without a translation still answers; the translation test makes that a red build.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Protocol

from babel.messages.pofile import read_po

from kota_shared.i18n.negotiation import Language

CATALOGUE_PATH = ("locale", "id", "LC_MESSAGES", "messages.po")
"""Where a package keeps its Indonesian catalogue. English is the source language."""


class Renderable(Protocol):
    """A value that knows how to write itself in a language (a parameter, a label)."""

    def render(self, language: Language) -> str: ...


def render(value: object, language: Language) -> str:
    """``value`` as text in ``language``: rendered when it can be, ``str`` otherwise."""
    if hasattr(value, "render"):
        return str(value.render(language))
    return str(value)


@dataclass(frozen=True)
class Catalogue:
    """One package's translations. Calling it marks a message: ``_("Not found.")``."""

    package: str

    def __call__(self, text: str, /, **parameters: Any) -> "Message":
        return Message(text, catalogue=self, parameters=parameters)

    def translate(self, text: str, language: Language) -> str:
        """``text`` in ``language``: its catalogue entry, or ``text`` itself."""
        if language == "en":
            return text
        return _entries(self.package).get(text) or text

    def has(self, text: str) -> bool:
        return bool(_entries(self.package).get(text))


@functools.cache
def _entries(package: str) -> Mapping[str, str]:
    """msgid → msgstr of the package's Indonesian catalogue, fuzzy entries left out."""
    resource = files(package).joinpath(*CATALOGUE_PATH)
    if not resource.is_file():
        return {}
    with resource.open("rb") as po:
        catalog = read_po(po)
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


@dataclass(frozen=True)
class Message:
    """English text to translate, with the parameters its placeholders (``{name}``) take."""

    text: str
    catalogue: Catalogue
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def render(self, language: Language) -> str:
        template = self.catalogue.translate(self.text, language)
        if not self.parameters:
            return template
        values = {name: render(value, language) for name, value in self.parameters.items()}
        return template.format_map(values)

    def __str__(self) -> str:
        """English, for logs and tracebacks: operators read those."""
        return self.render("en")


Text = Message | str
"""What a message field accepts: a translated `Message`, or text that is the same in every
language (a code, a number, a name from the records)."""
