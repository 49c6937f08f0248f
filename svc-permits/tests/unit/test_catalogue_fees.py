"""Fee rules: none, fixed and the PBG retribusi, with worked examples and properties."""

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from permits.catalogue.fees import (
    FeeInputError,
    FeeRule,
    FixedFee,
    NoFee,
    PbgRetribusi,
    assess_fee,
    fee_fields,
)
from permits.catalogue.fields import FieldErrors

RULE = PbgRetribusi(shst_per_m2=5_500_000, locality_index=Decimal("0.003"))
HOUSE = {
    "floor_area_m2": "100",
    "floors": 2,
    "building_function": "residential",
    "ownership": "private",
    "complexity": "simple",
    "permanence": "permanent",
    "construction": "new",
}


def test_no_fee_and_fixed_fee() -> None:
    assert assess_fee(NoFee(), {}) == 0
    assert assess_fee(FixedFee(amount=150_000), {"anything": 1}) == 150_000
    assert fee_fields(NoFee()) == fee_fields(FixedFee(amount=1)) == []


def test_a_fixed_fee_must_be_positive() -> None:
    with pytest.raises(ValidationError):
        FixedFee(amount=0)


def test_fee_rules_are_told_apart_by_kind() -> None:
    adapter: TypeAdapter[FeeRule] = TypeAdapter(FeeRule)

    assert adapter.validate_python({"kind": "fixed", "amount": 50_000}) == FixedFee(amount=50_000)
    assert adapter.validate_python({"kind": "none"}) == NoFee()
    with pytest.raises(ValidationError):
        adapter.validate_python({"kind": "per_m2", "amount": 1})


def test_pbg_worked_example_house() -> None:
    # 100 m², residential (If 0.15), private (Fm 1), simple (Ik 1), permanent (Ip 2), 2 floors
    # (Ih 1.090), new (Ibg 1.00), Ilo 0.3%, SHST Rp 5,500,000:
    #   It  = 0.15 * (0.3 * 1 + 0.2 * 2 + 0.5 * 1.090) * 1 = 0.15 * 1.245 = 0.18675
    #   fee = 100 * 0.18675 * 1.00 * 0.003 * 5,500,000 = 18.675 * 16,500 = 308,137.5
    # rounded down to Rp 308,137.
    assert assess_fee(RULE, HOUSE) == 308_137


def test_pbg_worked_example_shop() -> None:
    # 200 m², business (0.7), non-simple (2), permanent (2), 1 floor (1.000), private, new:
    #   It = 0.7 * (0.6 + 0.4 + 0.5) = 1.05;  fee = 200 * 1.05 * 0.003 * 5,500,000 = 3,465,000.
    shop = {**HOUSE, "floor_area_m2": 200, "building_function": "business", "floors": 1}

    assert assess_fee(RULE, {**shop, "complexity": "non_simple"}) == 3_465_000


def test_pbg_rehabilitation_pays_its_building_index() -> None:
    # The house above at Ibg 0.45: 308,137.5 * 0.45 = 138,661.875 → Rp 138,661.
    assert assess_fee(RULE, {**HOUSE, "construction": "rehabilitation_moderate"}) == 138_661


@pytest.mark.parametrize("free", [{"building_function": "religious"}, {"ownership": "state"}])
def test_religious_and_state_buildings_pay_nothing(free: dict[str, str]) -> None:
    assert assess_fee(RULE, {**HOUSE, **free}) == 0


def test_the_pbg_fee_ignores_the_rest_of_the_form() -> None:
    assert assess_fee(RULE, {**HOUSE, "address": "Jl. Daan Mogot No. 1"}) == 308_137


def test_a_missing_fee_input_is_a_fee_input_error() -> None:
    without_floors = {name: value for name, value in HOUSE.items() if name != "floors"}

    with pytest.raises(FeeInputError) as refused:
        assess_fee(RULE, without_floors)

    assert [(name, str(message)) for name, message in refused.value.errors] == [
        ("floors", "This field is required.")
    ]
    assert isinstance(refused.value, FieldErrors)


def test_an_unknown_fee_input_is_a_fee_input_error() -> None:
    with pytest.raises(
        FeeInputError,
        match=r"^building_function: Choose one of the options this question offers\.$",
    ):
        assess_fee(RULE, {**HOUSE, "building_function": "castle"})


def test_fee_fields_follow_the_rules_configuration() -> None:
    rule = PbgRetribusi(
        shst_per_m2=4_000_000,
        locality_index=Decimal("0.005"),
        function_weights={"residential": Decimal("0.17")},
        height_indices={1: Decimal(1), 2: Decimal("1.09"), 3: Decimal("1.12")},
    )
    fields = {spec.name: spec for spec in fee_fields(rule)}

    assert list(fields) == [
        "floor_area_m2",
        "floors",
        "building_function",
        "ownership",
        "complexity",
        "permanence",
        "construction",
    ]
    assert fields["building_function"].choices == ["residential"]
    assert (fields["floors"].min, fields["floors"].max) == (1, 3)
    assert all(spec.required for spec in fields.values())


@pytest.mark.parametrize(
    "config",
    [
        {"locality_index": "0.006"},
        {"locality_index": "0"},
        {"shst_per_m2": 0},
        {"height_weight": "0.6"},
        {"height_indices": {1: "1", 3: "1.12"}},
        {"function_weights": {}},
        {"function_weights": {"residential": "-0.1"}},
        {"ownership_factors": {"Private Person": "1"}},
    ],
)
def test_pbg_configuration_is_checked(config: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        PbgRetribusi.model_validate({"shst_per_m2": 5_500_000, "locality_index": "0.003", **config})


def test_pbg_arithmetic_stays_decimal_on_odd_inputs() -> None:
    # 0.01 m² steps must not drift: 123.45 m² of the house is 123.45 * 3,081.375 = 380,395.74…
    assert assess_fee(RULE, {**HOUSE, "floor_area_m2": "123.45"}) == 380_395


_areas = st.decimals(min_value=1, max_value=1_000_000, places=2)


@given(
    smaller=_areas,
    larger=_areas,
    function=st.sampled_from(sorted(RULE.function_weights)),
    ownership=st.sampled_from(sorted(RULE.ownership_factors)),
    complexity=st.sampled_from(sorted(RULE.complexity_indices)),
    permanence=st.sampled_from(sorted(RULE.permanence_indices)),
    floors=st.sampled_from(sorted(RULE.height_indices)),
    construction=st.sampled_from(sorted(RULE.building_indices)),
)
def test_pbg_fee_is_a_non_negative_int_non_decreasing_in_floor_area(
    smaller: Decimal,
    larger: Decimal,
    function: str,
    ownership: str,
    complexity: str,
    permanence: str,
    floors: int,
    construction: str,
) -> None:
    smaller, larger = sorted((smaller, larger))
    building = {
        "floors": floors,
        "building_function": function,
        "ownership": ownership,
        "complexity": complexity,
        "permanence": permanence,
        "construction": construction,
    }

    small_fee = assess_fee(RULE, {**building, "floor_area_m2": smaller})
    large_fee = assess_fee(RULE, {**building, "floor_area_m2": str(larger)})

    assert type(small_fee) is int
    assert type(large_fee) is int
    assert 0 <= small_fee <= large_fee
