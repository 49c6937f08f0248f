"""What a permit costs: the fee rules a type may have and the fee they assess, in whole rupiah."""

from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal, Inexact, localcontext
from typing import Annotated, Any, Literal, Self, assert_never

from pydantic import Field, PositiveInt, model_validator

from permits.catalogue.base import CatalogueModel, Identifier
from permits.catalogue.fields import FieldErrors, FieldSpec, validate_fields
from permits.messages import _

Weight = Annotated[Decimal, Field(ge=0)]


class FeeInputError(FieldErrors):
    """The application lacks, or has unusable, values the fee is computed from.

    Same shape as `FieldErrors` so both render alike; a distinct class because at assessment
    time it means a draft saved before the form changed, not a typing slip.
    """


class NoFee(CatalogueModel):
    kind: Literal["none"] = "none"


class FixedFee(CatalogueModel):
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


class PbgRetribusi(CatalogueModel):
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
            raise ValueError(_("The complexity, permanence and height weights must add up to 1."))
        if sorted(self.height_indices) != list(range(1, len(self.height_indices) + 1)):
            raise ValueError(_("The height indices must cover 1, 2, … floors without gaps."))
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
