"""A permit type's application form: the questions it asks and how answers are checked.

`validate_fields` turns what a citizen typed into values ready for a JSON column, or refuses
them all at once with messages the citizen can act on.
"""

import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from kota_shared.i18n import Message
from permits.catalogue.base import CatalogueModel, Identifier, Label, require_unique
from permits.messages import _

Choice = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
FieldKind = Literal["text", "integer", "decimal", "choice", "date", "kbli"]

DEFAULT_TEXT_MAX_LENGTH = 1000
"""Applies to text fields whose spec sets no ``max_length``: a JSON column is not a file store."""
_MAX_DECIMAL_PLACES = 6
_MAX_MAGNITUDE = Decimal(10) ** 15
"""Bigger numbers are typing errors or abuse, and would bloat the stored form."""


def _plain(number: Decimal) -> str:
    """Write a decimal without exponent or trailing zeros: 120.50 → "120.5", 1E+2 → "100"."""
    return format(number.normalize(), "f")


class FieldSpec(CatalogueModel):
    """One question on a permit type's application form."""

    name: Identifier
    label_id: Label
    label_en: Label
    kind: FieldKind
    required: bool = True
    choices: list[Choice] | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    max_length: int | None = Field(default=None, ge=1, le=10_000)

    @model_validator(mode="after")
    def _options_fit_kind(self) -> Self:
        if (self.choices is not None) != (self.kind == "choice"):
            raise ValueError(_("Choices are required for choice fields and allowed only there."))
        if self.choices is not None:
            if not self.choices:
                raise ValueError(_("A choice field needs at least one choice."))
            require_unique(_("Choices"), self.choices)
        bounds = [bound for bound in (self.min, self.max) if bound is not None]
        if bounds and self.kind not in ("integer", "decimal"):
            raise ValueError(_("A minimum and a maximum apply to integer and decimal fields only."))
        if self.kind == "integer" and any(bound != bound.to_integral_value() for bound in bounds):
            raise ValueError(_("The bounds of an integer field must be whole numbers."))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(_("The minimum must not exceed the maximum."))
        if self.max_length is not None and self.kind != "text":
            raise ValueError(_("A maximum length applies to text fields only."))
        return self


class FieldErrors(Exception):
    """Why form values were refused, as ``(field_name, message)`` pairs a citizen can act on.

    ``str()`` is English, for logs; each message renders in the caller's language.
    """

    def __init__(self, errors: Sequence[tuple[str, Message]]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.errors))


class _Rejected(ValueError):
    """One value's refusal; collected into `FieldErrors` so the citizen sees every problem."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _within_bounds(spec: FieldSpec, number: Decimal) -> None:
    if spec.min is not None and number < spec.min:
        raise _Rejected(_("Enter a number of at least {min}.", min=_plain(spec.min)))
    if spec.max is not None and number > spec.max:
        raise _Rejected(_("Enter a number of at most {max}.", max=_plain(spec.max)))
    if abs(number) >= _MAX_MAGNITUDE:
        raise _Rejected(_("That number is too large."))


def _text(spec: FieldSpec, value: Any) -> str:
    if not isinstance(value, str):
        raise _Rejected(_("Enter text."))
    text = value.strip()
    limit = spec.max_length or DEFAULT_TEXT_MAX_LENGTH
    if len(text) > limit:
        raise _Rejected(_("Use at most {limit} characters.", limit=limit))
    return text


def _integer(spec: FieldSpec, value: Any) -> int:
    if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]{1,16}", value.strip()):
        number = int(value.strip())
    elif (
        (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, float) and value.is_integer())
        or (isinstance(value, Decimal) and value.is_finite() and value == int(value))
    ):
        number = int(value)
    else:
        raise _Rejected(_("Enter a whole number."))
    _within_bounds(spec, Decimal(number))
    return number


_DECIMAL_TEXT = re.compile(r"[+-]?([0-9]{1,16}(\.[0-9]*)?|\.[0-9]+)")


def _decimal(spec: FieldSpec, value: Any) -> str:
    """Keep decimals exact: JSON numbers would come back as floats, so store plain strings."""
    number: Decimal | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float) and math.isfinite(value):
        number = Decimal(repr(value))  # the shortest text that reads back as this float
    elif isinstance(value, Decimal) and value.is_finite():
        number = value
    elif isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value.strip()):
        number = Decimal(value.strip())
    if number is None:
        raise _Rejected(_("Enter a number such as 120.5 (with a dot for decimals)."))
    _within_bounds(spec, number)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > _MAX_DECIMAL_PLACES:
        raise _Rejected(_("Use at most {count} decimal places.", count=_MAX_DECIMAL_PLACES))
    return _plain(number)


def _choice(spec: FieldSpec, value: Any) -> str:
    choices = spec.choices or []
    if not isinstance(value, str) or value.strip() not in choices:
        raise _Rejected(_("Choose one of the options this question offers."))
    return value.strip()


def _date(spec: FieldSpec, value: Any) -> str:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise _Rejected(_("Enter a real date as YYYY-MM-DD, e.g. 2026-01-31."))


def _kbli(spec: FieldSpec, value: Any) -> str:
    # A string only: KBLI codes may start with 0 (01111), which a number would lose.
    if isinstance(value, str) and re.fullmatch(r"[0-9]{5}", value.strip()):
        return value.strip()
    raise _Rejected(_("Enter a 5-digit KBLI code, e.g. 56101."))


_NORMALISERS: dict[FieldKind, Callable[[FieldSpec, Any], Any]] = {
    "text": _text,
    "integer": _integer,
    "decimal": _decimal,
    "choice": _choice,
    "date": _date,
    "kbli": _kbli,
}


def validate_fields(
    specs: Sequence[FieldSpec], values: Mapping[str, Any], *, complete: bool
) -> dict[str, Any]:
    """Check a form and return its values ready for a JSON column, or raise `FieldErrors`.

    A draft (``complete=False``) may leave required fields out; a submission may not. Blank
    answers count as missing and are dropped. Text is stripped, integers become ``int``,
    decimals exact plain strings (``"120.5"``), dates ``"YYYY-MM-DD"``.
    """
    errors: list[tuple[str, Message]] = []
    cleaned: dict[str, Any] = {}
    for spec in specs:
        value = values.get(spec.name)
        if _is_blank(value):
            if complete and spec.required:
                errors.append((spec.name, _("This field is required.")))
            continue
        try:
            cleaned[spec.name] = _NORMALISERS[spec.kind](spec, value)
        except _Rejected as rejected:
            errors.append((spec.name, rejected.message))
    known = {spec.name for spec in specs}
    errors.extend(
        (name, _("This field is not part of the form.")) for name in values if name not in known
    )
    if errors:
        raise FieldErrors(errors)
    return cleaned
