"""Pydantic's validation messages in the caller's language.

Pydantic writes its messages in English only. Each error has a stable ``type`` whose English
template (``"String should have at most {max_length} character{expected_plural}"``) is listed
by pydantic-core; those templates are entries of the shared library's catalogue (added by
``uv run kota messages``), so the Indonesian is the catalogue's translation of the template,
filled from the error's ``ctx``. A validator of ours that refuses a value raises
``ValueError(_("…"))``; its `Message` is rendered as the whole message, without pydantic's
English "Value error, " prefix. A parser's own reason (``{error}`` in "Input should be a valid
date, input is too short") is English, so the Indonesian templates leave it out.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema
from pydantic_core._pydantic_core import list_all_errors

from kota_shared.i18n.catalogue import Catalogue, Message, render
from kota_shared.i18n.negotiation import Language

PYDANTIC_TEMPLATES: Mapping[str, str] = {
    error["type"]: error["message_template_python"] for error in list_all_errors()
}
"""Every pydantic error type → its English message template."""
_CATALOGUE = Catalogue("kota_shared")


def refused(kind: str, message: Message) -> PydanticCustomError:
    """A field error of type ``kind`` (a stable code for clients) whose message is rendered
    whole in the caller's language (`field_message` reads it from ``error``)."""
    return PydanticCustomError(kind, "{error}", {"error": ValueError(message)})


class _Blank(dict[str, Any]):
    """Placeholders Indonesian has no use for (``{expected_plural}``) render as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class FieldMessage:
    """The message of one pydantic error, rendered when the caller's language is known."""

    error: Mapping[str, Any]

    def render(self, language: Language) -> str:
        kind = str(self.error.get("type", ""))
        context = self.error.get("ctx") or {}
        raised = context.get("error")  # what a validator (or a body parser) raised
        if isinstance(raised, Exception) and raised.args and hasattr(raised.args[0], "render"):
            return render(raised.args[0], language)
        template = PYDANTIC_TEMPLATES.get(kind)
        if language == "en" or template is None or not _CATALOGUE.has(template):
            return str(self.error.get("msg", ""))
        values = _Blank({name: render(value, language) for name, value in context.items()})
        return _CATALOGUE.translate(template, language).format_map(values)


def field_message(error: Mapping[str, Any]) -> FieldMessage:
    return FieldMessage(error)


@dataclass(frozen=True)
class Matching:
    """A text field held to a pattern, refused with a message a person reads.

    ``Annotated[str, Matching(r"\\d{10}", _("A NISN is 10 digits."))]``: pydantic's own
    refusal would show the regular expression ("should match pattern '^\\d{10}$'"); this one
    says what the value must be. The schema still documents the pattern.
    """

    pattern: str
    message: Message

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        compiled = re.compile(self.pattern)

        def check(value: str) -> str:
            if not compiled.fullmatch(value):
                raise ValueError(self.message)
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        described = handler(schema)
        described["pattern"] = f"^{self.pattern}$"
        return described
