"""The catalogue's pure rules: form validation, fees, definitions and the seed catalogue."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from permits.catalogue.rules import (
    DEFAULT_MAX_BYTES,
    DeadlinePolicy,
    DocumentRequirement,
    FeeInputError,
    FeeRule,
    FieldErrors,
    FieldSpec,
    FixedFee,
    NoFee,
    PbgRetribusi,
    PermitTypeDefinition,
    StageTargets,
    assess_fee,
    fee_fields,
    validate_fields,
)
from permits.catalogue.seed_catalogue import SEED_CATALOGUE

SPECS = [
    FieldSpec(name="name", label_id="Nama", label_en="Name", kind="text", max_length=10),
    FieldSpec(name="floors", label_id="Lantai", label_en="Floors", kind="integer", min=1, max=8),
    FieldSpec(
        name="area",
        label_id="Luas",
        label_en="Area",
        kind="decimal",
        min=Decimal("0.5"),
        max=Decimal(1000),
    ),
    FieldSpec(name="use", label_id="Guna", label_en="Use", kind="choice", choices=["home", "shop"]),
    FieldSpec(name="opened_on", label_id="Tanggal", label_en="Opened on", kind="date"),
    FieldSpec(name="kbli", label_id="KBLI", label_en="KBLI", kind="kbli"),
    FieldSpec(name="note", label_id="Catatan", label_en="Note", kind="text", required=False),
]
VALID = {
    "name": "Toko",
    "floors": 2,
    "area": "120.5",
    "use": "shop",
    "opened_on": "2026-01-31",
    "kbli": "56101",
}


def _refusals(values: dict[str, Any], *, complete: bool = True) -> list[tuple[str, str]]:
    with pytest.raises(FieldErrors) as refused:
        validate_fields(SPECS, values, complete=complete)
    return refused.value.errors


# --- Field validation --------------------------------------------------------------------------


def test_valid_values_come_back_normalised_for_a_json_column() -> None:
    raw = {
        "name": "  Toko Maju ",
        "floors": "3",
        "area": 120.50,
        "use": " shop ",
        "opened_on": date(2026, 1, 31),
        "kbli": " 56101 ",
        "note": "   ",
    }

    assert validate_fields(SPECS, raw, complete=True) == {
        "name": "Toko Maju",
        "floors": 3,
        "area": "120.5",
        "use": "shop",
        "opened_on": "2026-01-31",
        "kbli": "56101",
    }


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("floors", 3.0, 3),
        ("floors", Decimal("4"), 4),
        ("floors", " +5 ", 5),
        ("area", 7, "7"),
        ("area", Decimal("1E+2"), "100"),
        ("area", "0120.500", "120.5"),
        ("area", ".5", "0.5"),
        ("area", Decimal("999.999999"), "999.999999"),
    ],
)
def test_numbers_are_normalised(field: str, value: Any, expected: Any) -> None:
    cleaned = validate_fields(SPECS, {**VALID, field: value}, complete=True)

    assert cleaned[field] == expected
    assert type(cleaned[field]) is type(expected)


def test_normalising_twice_changes_nothing() -> None:
    # Drafts are merged with stored (already normalised) values and validated again.
    once = validate_fields(SPECS, {**VALID, "area": 120.50, "floors": "3"}, complete=True)

    assert validate_fields(SPECS, once, complete=True) == once


def test_a_draft_may_leave_required_fields_out_and_drops_blanks() -> None:
    assert validate_fields(SPECS, {"name": "Toko", "use": " ", "floors": None}, complete=False) == {
        "name": "Toko"
    }


def test_a_submission_needs_every_required_field() -> None:
    assert _refusals({"name": "Toko", "use": ""}) == [
        ("floors", "This field is required."),
        ("area", "This field is required."),
        ("use", "This field is required."),
        ("opened_on", "This field is required."),
        ("kbli", "This field is required."),
    ]


@pytest.mark.parametrize("complete", [True, False])
def test_unknown_fields_are_refused_even_in_a_draft(complete: bool) -> None:
    assert _refusals({**VALID, "colour": "red"}, complete=complete) == [
        ("colour", "This field is not part of the form.")
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", 42, "Enter text."),
        ("name", "x" * 11, "Use at most 10 characters."),
        ("floors", "two", "Enter a whole number."),
        ("floors", True, "Enter a whole number."),
        ("floors", 1.5, "Enter a whole number."),
        ("floors", "2.0", "Enter a whole number."),
        ("floors", float("nan"), "Enter a whole number."),
        ("floors", 0, "Enter a number of at least 1."),
        ("floors", "9", "Enter a number of at most 8."),
        ("area", "1,5", "Enter a number such as 120.5 (with a dot for decimals)."),
        ("area", "1e3", "Enter a number such as 120.5 (with a dot for decimals)."),
        ("area", "NaN", "Enter a number such as 120.5 (with a dot for decimals)."),
        ("area", float("inf"), "Enter a number such as 120.5 (with a dot for decimals)."),
        ("area", Decimal("Infinity"), "Enter a number such as 120.5 (with a dot for decimals)."),
        ("area", False, "Enter a number such as 120.5 (with a dot for decimals)."),
        ("area", [1], "Enter a number such as 120.5 (with a dot for decimals)."),
        ("area", "0.4", "Enter a number of at least 0.5."),
        ("area", 1000.01, "Enter a number of at most 1000."),
        ("area", "1.1234567", "Use at most 6 decimal places."),
        ("use", "factory", "Choose one of: home, shop."),
        ("use", 1, "Choose one of: home, shop."),
        ("opened_on", "2026-02-30", "Enter a real date as YYYY-MM-DD, e.g. 2026-01-31."),
        ("opened_on", "31/01/2026", "Enter a real date as YYYY-MM-DD, e.g. 2026-01-31."),
        ("opened_on", "20260131", "Enter a real date as YYYY-MM-DD, e.g. 2026-01-31."),
        (
            "opened_on",
            datetime(2026, 1, 31, 9),
            "Enter a real date as YYYY-MM-DD, e.g. 2026-01-31.",
        ),
        ("kbli", "5610", "Enter a 5-digit KBLI code, e.g. 56101."),
        ("kbli", "5610a", "Enter a 5-digit KBLI code, e.g. 56101."),
        ("kbli", 56101, "Enter a 5-digit KBLI code, e.g. 56101."),
        ("kbli", "٥٦١٠١", "Enter a 5-digit KBLI code, e.g. 56101."),
    ],
)
def test_each_kind_of_bad_value_gets_a_readable_message(
    field: str, value: Any, message: str
) -> None:
    assert _refusals({**VALID, field: value}) == [(field, message)]


def test_text_without_a_max_length_still_has_a_cap() -> None:
    assert _refusals({**VALID, "note": "x" * 1001}) == [("note", "Use at most 1000 characters.")]


def test_unbounded_numbers_are_still_capped() -> None:
    amount = FieldSpec(name="amount", label_id="Jumlah", label_en="Amount", kind="decimal")

    with pytest.raises(FieldErrors) as refused:
        validate_fields([amount], {"amount": "9999999999999999"}, complete=True)

    assert refused.value.errors == [("amount", "That number is too large.")]


def test_every_problem_is_reported_at_once_in_form_order() -> None:
    errors = _refusals({"zzz": 1, "kbli": "1", "floors": 99, "name": "Toko"})

    assert [name for name, _ in errors] == ["floors", "area", "use", "opened_on", "kbli", "zzz"]


def test_field_errors_read_as_one_message() -> None:
    errors = FieldErrors([("floors", "Enter a whole number."), ("kbli", "Enter a code.")])

    assert str(errors) == "floors: Enter a whole number.; kbli: Enter a code."


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "text", "choices": ["a"]}, "choices are required for choice fields"),
        ({"kind": "choice"}, "choices are required for choice fields"),
        ({"kind": "choice", "choices": []}, "at least one choice"),
        ({"kind": "choice", "choices": ["a", "a"]}, "choices must be unique"),
        ({"kind": "text", "min": 1}, "min and max apply to integer and decimal"),
        ({"kind": "integer", "min": "1.5"}, "whole numbers"),
        ({"kind": "decimal", "min": 5, "max": 1}, "min must not exceed max"),
        ({"kind": "integer", "max_length": 5}, "max_length applies to text"),
        ({"kind": "text", "name": "Floor Area"}, "should match pattern"),
        ({"kind": "colour"}, "Input should be"),
        ({"kind": "text", "placeholder": "x"}, "Extra inputs are not permitted"),
    ],
)
def test_field_specs_refuse_options_that_do_not_fit(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        FieldSpec.model_validate({"name": "f", "label_id": "F", "label_en": "F", **spec})


# --- Documents ---------------------------------------------------------------------------------


def test_a_document_defaults_to_any_accepted_type_up_to_10_mib() -> None:
    ktp = DocumentRequirement(kind="ktp", label_id="KTP", label_en="Identity card")

    assert ktp.required
    assert ktp.content_types == ["application/pdf", "image/jpeg", "image/png"]
    assert ktp.max_bytes == DEFAULT_MAX_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize(
    "options",
    [
        {"content_types": ["image/gif"]},
        {"content_types": []},
        {"content_types": ["image/png", "image/png"]},
        {"max_bytes": 0},
        {"kind": "Site Plan"},
    ],
)
def test_documents_refuse_bad_options(options: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        DocumentRequirement.model_validate(
            {"kind": "site_plan", "label_id": "Gambar", "label_en": "Plan", **options}
        )


# --- Fees --------------------------------------------------------------------------------------

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

    assert refused.value.errors == [("floors", "This field is required.")]
    assert isinstance(refused.value, FieldErrors)


def test_an_unknown_fee_input_is_a_fee_input_error() -> None:
    with pytest.raises(FeeInputError, match="building_function: Choose one of: business,"):
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


# --- Definitions -------------------------------------------------------------------------------

_ADDRESS = {"name": "address", "label_id": "Alamat", "label_en": "Address", "kind": "text"}
_KTP = {"kind": "ktp", "label_id": "KTP", "label_en": "Identity card"}
BASE: dict[str, Any] = {
    "code": "TEST",
    "name_id": "Izin Uji",
    "name_en": "Test permit",
    "category": "other",
    "fields": [_ADDRESS],
    "documents": [_KTP],
    "fee_rule": {"kind": "none"},
    "stage_targets": {"verification": 1, "review": 2},
    "deadline_policy": "escalate",
    "validity_months": None,
}
PBG_RULE_JSON = RULE.model_dump(mode="json")
PBG_FIELDS_JSON = [spec.model_dump(mode="json") for spec in fee_fields(RULE)]


def _with_fee_field(name: str, **changes: Any) -> list[dict[str, Any]]:
    return [spec | changes if spec["name"] == name else spec for spec in PBG_FIELDS_JSON]


def test_a_minimal_definition_is_valid() -> None:
    definition = PermitTypeDefinition.model_validate(BASE)

    assert definition.active
    assert definition.deadline_policy is DeadlinePolicy.ESCALATE
    assert definition.kbli == []


def test_a_pbg_definition_with_its_fee_fields_is_valid() -> None:
    PermitTypeDefinition.model_validate(
        {**BASE, "fee_rule": PBG_RULE_JSON, "fields": [_ADDRESS, *PBG_FIELDS_JSON]}
    )


def test_a_form_may_offer_fewer_answers_than_the_fee_can_price() -> None:
    narrower = _with_fee_field("building_function", choices=["residential"])
    narrower = [spec | {"max": 3} if spec["name"] == "floors" else spec for spec in narrower]

    PermitTypeDefinition.model_validate({**BASE, "fee_rule": PBG_RULE_JSON, "fields": narrower})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fields": [_ADDRESS, _ADDRESS]}, "field names must be unique; repeated: address"),
        ({"documents": [_KTP, _KTP]}, "document kinds must be unique; repeated: ktp"),
        ({"kbli": ["56101"]}, "belong to business permit types only"),
        ({"risk_level": "low"}, "belong to business permit types only"),
        ({"category": "business"}, "needs at least one KBLI code"),
        ({"category": "business", "kbli": ["5610"]}, "should match pattern"),
        ({"category": "business", "kbli": ["56101", "56101"]}, "KBLI codes must be unique"),
        ({"category": "business", "kbli": ["56101"], "risk_level": "medium"}, "Input should be"),
        (
            {"fee_rule": PBG_RULE_JSON},
            "needs these fields, required and as fee_fields\\(\\) gives them: floor_area_m2, "
            "floors, building_function, ownership, complexity, permanence, construction",
        ),
        (
            {"fee_rule": PBG_RULE_JSON, "fields": _with_fee_field("floors", max=20)},
            "gives them: floors \\[type",
        ),
        (
            {"fee_rule": PBG_RULE_JSON, "fields": _with_fee_field("floors", max=None)},
            "gives them: floors \\[type",
        ),
        (
            {"fee_rule": PBG_RULE_JSON, "fields": _with_fee_field("floor_area_m2", min="-1")},
            "gives them: floor_area_m2 \\[type",
        ),
        (
            {
                "fee_rule": PBG_RULE_JSON,
                "fields": _with_fee_field("ownership", choices=["private", "cooperative"]),
            },
            "gives them: ownership \\[type",
        ),
        (
            {"fee_rule": PBG_RULE_JSON, "fields": _with_fee_field("complexity", required=False)},
            "gives them: complexity \\[type",
        ),
        (
            {
                "fee_rule": PBG_RULE_JSON,
                "fields": _with_fee_field("floors", kind="decimal", min="1", max="8"),
            },
            "gives them: floors \\[type",
        ),
        ({"code": "pbg"}, "should match pattern"),
        ({"code": "P"}, "should match pattern"),
        ({"code": "A" * 21}, "should match pattern"),
        ({"stage_targets": {"verification": 0, "review": 2}}, "greater than or equal to 1"),
        ({"stage_targets": {"verification": 1}}, "Field required"),
        ({"validity_months": 0}, "greater than 0"),
        ({"deadline_policy": "ignore"}, "Input should be"),
        ({"colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_definitions_refuse_incoherent_types(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        PermitTypeDefinition.model_validate({**BASE, **changes})


def test_validity_months_must_be_stated() -> None:
    without_validity = {name: value for name, value in BASE.items() if name != "validity_months"}

    with pytest.raises(ValidationError, match="validity_months"):
        PermitTypeDefinition.model_validate(without_validity)


def test_stage_targets_name_exactly_the_two_officer_stages() -> None:
    assert set(StageTargets.model_fields) == {"verification", "review"}


# --- Seed catalogue ----------------------------------------------------------------------------

SEED = {definition.code: definition for definition in SEED_CATALOGUE}


def test_the_seed_has_unique_codes_and_the_expected_types() -> None:
    assert len(SEED) == len(SEED_CATALOGUE)
    assert {
        "PBG",
        "SLF",
        "REKLAME",
        "KERAMAIAN",
        "SIP",
        "SERTIFIKAT_STANDAR",
        "TDUP",
    } < set(SEED)


@pytest.mark.parametrize("definition", SEED_CATALOGUE, ids=lambda d: d.code)
def test_each_seed_type_round_trips_through_json(definition: PermitTypeDefinition) -> None:
    assert PermitTypeDefinition.model_validate(definition.model_dump(mode="json")) == definition
    assert PermitTypeDefinition.model_validate_json(definition.model_dump_json()) == definition


def _sample(spec: FieldSpec) -> Any:
    """Some answer the spec accepts."""
    samples = {"text": "x", "date": "2026-01-31", "kbli": "56101"}
    if spec.kind == "choice":
        return (spec.choices or [])[0]
    if spec.kind in ("integer", "decimal"):
        return str(spec.min if spec.min is not None else 1)
    return samples[spec.kind]


@pytest.mark.parametrize("definition", SEED_CATALOGUE, ids=lambda d: d.code)
def test_each_seed_form_can_be_completed_and_its_fee_assessed(
    definition: PermitTypeDefinition,
) -> None:
    values = validate_fields(
        definition.fields, {spec.name: _sample(spec) for spec in definition.fields}, complete=True
    )

    assert assess_fee(definition.fee_rule, values) >= 0
    assert any(document.kind == "ktp" and document.required for document in definition.documents)


def test_seeded_service_levels_and_fees() -> None:
    pbg = SEED["PBG"]
    assert isinstance(pbg.fee_rule, PbgRetribusi)
    assert pbg.stage_targets == StageTargets(verification=1, review=10)
    assert pbg.deadline_policy is DeadlinePolicy.ESCALATE
    assert SEED["SLF"].fee_rule == NoFee()
    assert SEED["SLF"].deadline_policy is DeadlinePolicy.ESCALATE
    assert isinstance(SEED["REKLAME"].fee_rule, FixedFee)
    assert SEED["REKLAME"].deadline_policy is DeadlinePolicy.AUTO_APPROVE
    assert SEED["KERAMAIAN"].stage_targets.review <= 3
    assert SEED["KERAMAIAN"].deadline_policy is DeadlinePolicy.AUTO_APPROVE
    assert SEED["SIP"].deadline_policy is DeadlinePolicy.AUTO_APPROVE
    standard = SEED["SERTIFIKAT_STANDAR"]
    assert "56101" in standard.kbli
    assert standard.risk_level in ("medium_low", "medium_high")
    assert all(d.fee_rule == NoFee() for code, d in SEED.items() if code not in ("PBG", "REKLAME"))


pbg_form = {spec.name: spec for spec in SEED["PBG"].fields}


def _answers(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "choice":
        return st.sampled_from(spec.choices or [])
    if spec.kind == "integer":
        return st.integers(int(spec.min or 0), int(spec.max or 10))
    return st.decimals(min_value=spec.min, max_value=spec.max, places=2)


@given(
    st.fixed_dictionaries(
        {spec.name: _answers(pbg_form[spec.name]) for spec in fee_fields(SEED["PBG"].fee_rule)}
    )
)
def test_every_pbg_form_the_city_accepts_can_be_priced(answers: dict[str, Any]) -> None:
    form = [pbg_form[name] for name in answers]
    values = validate_fields(form, answers, complete=True)

    assert assess_fee(SEED["PBG"].fee_rule, values) >= 0
