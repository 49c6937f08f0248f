"""The pure rules of a permit type: its form, its documents, its fee and its service targets.

Everything here is a pydantic model an admin edits as JSON (stored with
``model_dump(mode="json")``, loaded with ``model_validate``) or a function without I/O, so the
catalogue can be checked when it is saved rather than when a citizen meets a broken form.
"""

import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import ROUND_FLOOR, Decimal, Inexact, localcontext
from enum import StrEnum
from typing import Annotated, Any, Literal, Self, assert_never

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, StringConstraints, model_validator

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
KbliCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
Choice = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Weight = Annotated[Decimal, Field(ge=0)]
FieldKind = Literal["text", "integer", "decimal", "choice", "date", "kbli"]
RiskLevel = Literal["low", "medium_low", "medium_high", "high"]
ContentType = Literal["application/pdf", "image/jpeg", "image/png"]
ALL_CONTENT_TYPES: tuple[ContentType, ...] = ("application/pdf", "image/jpeg", "image/png")

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TEXT_MAX_LENGTH = 1000
"""Applies to text fields whose spec sets no ``max_length``: a JSON column is not a file store."""
_MAX_DECIMAL_PLACES = 6
_MAX_MAGNITUDE = Decimal(10) ** 15
"""Bigger numbers are typing errors or abuse, and would bloat the stored form."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _plain(number: Decimal) -> str:
    """Write a decimal without exponent or trailing zeros: 120.50 → "120.5", 1E+2 → "100"."""
    return format(number.normalize(), "f")


def _require_unique(what: str, items: Sequence[str]) -> None:
    duplicates = sorted({item for item in items if items.count(item) > 1})
    if duplicates:
        raise ValueError(f"{what} must be unique; repeated: {', '.join(duplicates)}")


# --- Form fields -------------------------------------------------------------------------------


class FieldSpec(_Model):
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
            raise ValueError("choices are required for choice fields and allowed only there")
        if self.choices is not None:
            if not self.choices:
                raise ValueError("a choice field needs at least one choice")
            _require_unique("choices", self.choices)
        bounds = [bound for bound in (self.min, self.max) if bound is not None]
        if bounds and self.kind not in ("integer", "decimal"):
            raise ValueError("min and max apply to integer and decimal fields only")
        if self.kind == "integer" and any(bound != bound.to_integral_value() for bound in bounds):
            raise ValueError("the bounds of an integer field must be whole numbers")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not exceed max")
        if self.max_length is not None and self.kind != "text":
            raise ValueError("max_length applies to text fields only")
        return self


class FieldErrors(Exception):
    """Why form values were refused, as ``(field_name, message)`` pairs a citizen can act on."""

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.errors))


class _Rejected(ValueError):
    """One value's refusal; collected into `FieldErrors` so the citizen sees every problem."""


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _within_bounds(spec: FieldSpec, number: Decimal) -> None:
    if spec.min is not None and number < spec.min:
        raise _Rejected(f"Enter a number of at least {_plain(spec.min)}.")
    if spec.max is not None and number > spec.max:
        raise _Rejected(f"Enter a number of at most {_plain(spec.max)}.")
    if abs(number) >= _MAX_MAGNITUDE:
        raise _Rejected("That number is too large.")


def _text(spec: FieldSpec, value: Any) -> str:
    if not isinstance(value, str):
        raise _Rejected("Enter text.")
    text = value.strip()
    limit = spec.max_length or DEFAULT_TEXT_MAX_LENGTH
    if len(text) > limit:
        raise _Rejected(f"Use at most {limit} characters.")
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
        raise _Rejected("Enter a whole number.")
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
        raise _Rejected("Enter a number such as 120.5 (with a dot for decimals).")
    _within_bounds(spec, number)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > _MAX_DECIMAL_PLACES:
        raise _Rejected(f"Use at most {_MAX_DECIMAL_PLACES} decimal places.")
    return _plain(number)


def _choice(spec: FieldSpec, value: Any) -> str:
    choices = spec.choices or []
    if not isinstance(value, str) or value.strip() not in choices:
        raise _Rejected(f"Choose one of: {', '.join(choices)}.")
    return value.strip()


def _date(spec: FieldSpec, value: Any) -> str:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise _Rejected("Enter a real date as YYYY-MM-DD, e.g. 2026-01-31.")


def _kbli(spec: FieldSpec, value: Any) -> str:
    # A string only: KBLI codes may start with 0 (01111), which a number would lose.
    if isinstance(value, str) and re.fullmatch(r"[0-9]{5}", value.strip()):
        return value.strip()
    raise _Rejected("Enter a 5-digit KBLI code, e.g. 56101.")


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
    errors: list[tuple[str, str]] = []
    cleaned: dict[str, Any] = {}
    for spec in specs:
        value = values.get(spec.name)
        if _is_blank(value):
            if complete and spec.required:
                errors.append((spec.name, "This field is required."))
            continue
        try:
            cleaned[spec.name] = _NORMALISERS[spec.kind](spec, value)
        except _Rejected as rejected:
            errors.append((spec.name, str(rejected)))
    known = {spec.name for spec in specs}
    errors.extend(
        (name, "This field is not part of the form.") for name in values if name not in known
    )
    if errors:
        raise FieldErrors(errors)
    return cleaned


# --- Documents ---------------------------------------------------------------------------------


class DocumentRequirement(_Model):
    """A document the applicant uploads, e.g. their KTP or the building's site plan."""

    kind: Identifier
    label_id: Label
    label_en: Label
    required: bool = True
    content_types: list[ContentType] = Field(
        default_factory=lambda: list(ALL_CONTENT_TYPES), min_length=1
    )
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, ge=1, le=50 * 1024 * 1024)

    @model_validator(mode="after")
    def _unique_content_types(self) -> Self:
        _require_unique("content types", self.content_types)
        return self


# --- Fees --------------------------------------------------------------------------------------


class FeeInputError(FieldErrors):
    """The application lacks, or has unusable, values the fee is computed from.

    Same shape as `FieldErrors` so both render alike; a distinct class because at assessment
    time it means a draft saved before the form changed, not a typing slip.
    """


class NoFee(_Model):
    kind: Literal["none"] = "none"


class FixedFee(_Model):
    kind: Literal["fixed"] = "fixed"
    amount: int = Field(gt=0, description="Whole rupiah.")


def _default_function_weights() -> dict[str, Decimal]:
    # Residential is 0.15 for simple houses; regulations that charge other houses 0.17 add a
    # second residential choice.
    return {
        "business": Decimal("0.7"),
        "residential": Decimal("0.15"),
        "religious": Decimal("0"),
        "social_cultural": Decimal("0.3"),
        "special": Decimal("1"),
    }


def _default_height_indices() -> dict[int, Decimal]:
    # Koefisien jumlah lantai of PUPR's guidance to PP 16/2021; a city with taller buildings
    # extends the table, and the form's `floors` field follows it (see `fee_fields`).
    coefficients = ("1.000", "1.090", "1.120", "1.135", "1.162", "1.197", "1.236", "1.265")
    return {floors: Decimal(value) for floors, value in enumerate(coefficients, start=1)}


class PbgRetribusi(_Model):
    """Retribusi PBG, in the shape of PP 16/2021 and the regional regulations that follow it.

    fee = LLt * It * Ibg * Ilo * SHST, where

    - LLt: total floor area (m², all floors), form field ``floor_area_m2``;
    - It, indeks terintegrasi = If * (bk * Ik + bp * Ip + bt * Ih) * Fm:
      If the function index (``building_function``), Ik/Ip/Ih the complexity, permanence and
      height indices (``complexity``, ``permanence``, ``floors``) with their weights bk, bp,
      bt, and Fm the ownership factor (``ownership``: state buildings pay nothing);
    - Ibg, indeks bangunan gedung terbangun: 1.00 for a new building, less for rehabilitation
      (``construction``);
    - Ilo, indeks lokalitas: at most 0.5%;
    - SHST, the city's highest unit building cost per m².

    Every number is configuration; defaults are those of the typical regulation. Basements and
    mixed-function (campuran) buildings are not modelled separately.
    """

    kind: Literal["pbg_retribusi"] = "pbg_retribusi"
    shst_per_m2: int = Field(gt=0, description="SHST, whole rupiah per m².")
    locality_index: Decimal = Field(gt=0, le=Decimal("0.005"), description="0.003 is 0.3%.")
    function_weights: dict[Identifier, Weight] = Field(
        default_factory=_default_function_weights, min_length=1
    )
    ownership_factors: dict[Identifier, Weight] = Field(
        default_factory=lambda: {"private": Decimal("1"), "state": Decimal("0")}, min_length=1
    )
    complexity_weight: Weight = Decimal("0.3")
    complexity_indices: dict[Identifier, Weight] = Field(
        default_factory=lambda: {"simple": Decimal("1"), "non_simple": Decimal("2")},
        min_length=1,
    )
    permanence_weight: Weight = Decimal("0.2")
    permanence_indices: dict[Identifier, Weight] = Field(
        default_factory=lambda: {"permanent": Decimal("2"), "non_permanent": Decimal("1")},
        min_length=1,
    )
    height_weight: Weight = Decimal("0.5")
    height_indices: dict[PositiveInt, Weight] = Field(
        default_factory=_default_height_indices,
        min_length=1,
        description="Height index by number of floors, for 1..N floors without gaps.",
    )
    building_indices: dict[Identifier, Weight] = Field(
        default_factory=lambda: {
            "new": Decimal("1.00"),
            "rehabilitation_moderate": Decimal("0.45"),
            "rehabilitation_heavy": Decimal("0.65"),
        },
        min_length=1,
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.complexity_weight + self.permanence_weight + self.height_weight != 1:
            raise ValueError("the complexity, permanence and height weights must add up to 1")
        if sorted(self.height_indices) != list(range(1, len(self.height_indices) + 1)):
            raise ValueError("height_indices must cover 1, 2, … floors without gaps")
        return self


FeeRule = Annotated[NoFee | FixedFee | PbgRetribusi, Field(discriminator="kind")]


def _pbg_fields(rule: PbgRetribusi) -> list[FieldSpec]:
    return [
        FieldSpec(
            name="floor_area_m2",
            label_id="Luas total lantai bangunan (m²)",
            label_en="Total floor area of all floors (m²)",
            kind="decimal",
            min=Decimal("1"),
            max=Decimal("1000000"),
        ),
        FieldSpec(
            name="floors",
            label_id="Jumlah lantai",
            label_en="Number of floors",
            kind="integer",
            min=Decimal(1),
            max=Decimal(len(rule.height_indices)),
        ),
        FieldSpec(
            name="building_function",
            label_id="Fungsi bangunan",
            label_en="Building function",
            kind="choice",
            choices=list(rule.function_weights),
        ),
        FieldSpec(
            name="ownership",
            label_id="Status kepemilikan bangunan",
            label_en="Building ownership",
            kind="choice",
            choices=list(rule.ownership_factors),
        ),
        FieldSpec(
            name="complexity",
            label_id="Kompleksitas bangunan",
            label_en="Building complexity",
            kind="choice",
            choices=list(rule.complexity_indices),
        ),
        FieldSpec(
            name="permanence",
            label_id="Permanensi bangunan",
            label_en="Building permanence",
            kind="choice",
            choices=list(rule.permanence_indices),
        ),
        FieldSpec(
            name="construction",
            label_id="Jenis kegiatan (bangun baru atau rehabilitasi)",
            label_en="Kind of works (new building or rehabilitation)",
            kind="choice",
            choices=list(rule.building_indices),
        ),
    ]


def fee_fields(rule: FeeRule) -> list[FieldSpec]:
    """The form fields a fee rule reads; `PermitTypeDefinition` refuses a form without them."""
    match rule:
        case NoFee() | FixedFee():
            return []
        case PbgRetribusi():
            return _pbg_fields(rule)
    assert_never(rule)


def _assess_pbg(rule: PbgRetribusi, values: Mapping[str, Any]) -> int:
    specs = _pbg_fields(rule)
    try:
        given = validate_fields(specs, {s.name: values.get(s.name) for s in specs}, complete=True)
    except FieldErrors as refused:
        raise FeeInputError(refused.errors) from None
    with localcontext() as exact:
        # Money: no float anywhere, and a rounding before the final floor would be a bug.
        exact.prec = 100
        exact.traps[Inexact] = True
        classification = (
            rule.complexity_weight * rule.complexity_indices[given["complexity"]]
            + rule.permanence_weight * rule.permanence_indices[given["permanence"]]
            + rule.height_weight * rule.height_indices[given["floors"]]
        )
        integrated = (
            rule.function_weights[given["building_function"]]
            * classification
            * rule.ownership_factors[given["ownership"]]
        )
        fee = (
            Decimal(given["floor_area_m2"])
            * integrated
            * rule.building_indices[given["construction"]]
            * rule.locality_index
            * rule.shst_per_m2
        )
    return int(fee.to_integral_value(rounding=ROUND_FLOOR))


def assess_fee(rule: FeeRule, values: Mapping[str, Any]) -> int:
    """The fee in whole rupiah, rounded down (a citizen is never billed a fraction over the
    regulation's amount); raises `FeeInputError` when the values the rule reads are unusable."""
    match rule:
        case NoFee():
            return 0
        case FixedFee():
            return rule.amount
        case PbgRetribusi():
            return _assess_pbg(rule, values)
    assert_never(rule)


# --- Service levels and the type itself --------------------------------------------------------


class DeadlinePolicy(StrEnum):
    """What happens when a stage's deadline passes undecided."""

    AUTO_APPROVE = "auto_approve"
    """Fiktif positif (PP 28/2025): the application is deemed approved."""
    ESCALATE = "escalate"
    """Raised to a supervisor, for permits whose approval by default would be unsafe."""


class StageTargets(_Model):
    """Working days allowed for the two stages an officer controls."""

    verification: int = Field(ge=1, description="Document check, in working days.")
    review: int = Field(ge=1, description="Technical or substantive review, in working days.")


class Category(StrEnum):
    """Which office handles a type and where the app lists it."""

    BUSINESS = "business"
    BUILDING = "building"
    """PBG and SLF."""
    ADVERTISEMENT = "advertisement"
    EVENT = "event"
    HEALTH_PRACTICE = "health_practice"
    ENVIRONMENT = "environment"
    OTHER = "other"


def _serves_every_value(form: FieldSpec, needed: FieldSpec) -> bool:
    """Whether every answer the form accepts is one the fee rule can price."""
    if form.kind != needed.kind or not form.required:
        return False
    if needed.choices is not None and not set(form.choices or []) <= set(needed.choices):
        return False
    if needed.min is not None and (form.min is None or form.min < needed.min):
        return False
    return needed.max is None or (form.max is not None and form.max <= needed.max)


class PermitTypeDefinition(_Model):
    """A permit type as an admin edits it: form, documents, fee and service levels."""

    code: str = Field(
        pattern=r"^[A-Z][A-Z0-9_]{1,19}$",
        description="Also the permit-number prefix, e.g. `PBG` in PBG/3671/2026/000123.",
    )
    name_id: Label
    name_en: Label
    category: Category
    kbli: list[KbliCode] = Field(default_factory=list, description="Business types only.")
    risk_level: RiskLevel | None = Field(default=None, description="OSS RBA; business only.")
    fields: list[FieldSpec]
    documents: list[DocumentRequirement]
    fee_rule: FeeRule
    stage_targets: StageTargets
    deadline_policy: DeadlinePolicy
    validity_months: PositiveInt | None = Field(description="None: the permit does not expire.")
    active: bool = True

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        _require_unique("field names", [spec.name for spec in self.fields])
        _require_unique("document kinds", [document.kind for document in self.documents])
        _require_unique("KBLI codes", self.kbli)
        if self.category is Category.BUSINESS:
            if not self.kbli:
                raise ValueError("a business permit type needs at least one KBLI code")
        elif self.kbli or self.risk_level is not None:
            raise ValueError("KBLI codes and a risk level belong to business permit types only")
        form = {spec.name: spec for spec in self.fields}
        unserved = [
            needed.name
            for needed in fee_fields(self.fee_rule)
            if needed.name not in form or not _serves_every_value(form[needed.name], needed)
        ]
        if unserved:
            raise ValueError(
                "the fee rule needs these fields, required and as fee_fields() gives them: "
                + ", ".join(unserved)
            )
        return self
