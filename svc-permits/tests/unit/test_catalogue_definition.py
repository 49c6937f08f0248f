"""A permit type's definition: what makes one coherent, and what is refused."""

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from permits.catalogue.definition import PermitTypeDefinition
from permits.catalogue.fees import PbgRetribusi, fee_fields
from permits.catalogue.service_levels import DeadlinePolicy, StageTargets

RULE = PbgRetribusi(shst_per_m2=5_500_000, locality_index=Decimal("0.003"))
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
        ({"fields": [_ADDRESS, _ADDRESS]}, "Field names must be unique; repeated: address\\."),
        ({"documents": [_KTP, _KTP]}, "Document kinds must be unique; repeated: ktp\\."),
        ({"kbli": ["56101"]}, "belong to business permit types only"),
        ({"risk_level": "low"}, "belong to business permit types only"),
        ({"category": "business"}, "needs at least one KBLI code"),
        ({"category": "business", "kbli": ["5610"]}, "should match pattern"),
        ({"category": "business", "kbli": ["56101", "56101"]}, "KBLI codes must be unique"),
        ({"category": "business", "kbli": ["56101"], "risk_level": "medium"}, "Input should be"),
        (
            {"fee_rule": PBG_RULE_JSON},
            "reads these form fields, .* the rule can price: floor_area_m2, floors, "
            "building_function, ownership, complexity, permanence and construction\\.",
        ),
        (
            {"fee_rule": PBG_RULE_JSON, "fields": _with_fee_field("floors", max=20)},
            "the rule can price: floors\\. \\[type",
        ),
        (
            {"fee_rule": PBG_RULE_JSON, "fields": _with_fee_field("floors", max=None)},
            "the rule can price: floors\\. \\[type",
        ),
        (
            {"fee_rule": PBG_RULE_JSON, "fields": _with_fee_field("floor_area_m2", min="-1")},
            "the rule can price: floor_area_m2\\. \\[type",
        ),
        (
            {
                "fee_rule": PBG_RULE_JSON,
                "fields": _with_fee_field("ownership", choices=["private", "cooperative"]),
            },
            "the rule can price: ownership\\. \\[type",
        ),
        (
            {"fee_rule": PBG_RULE_JSON, "fields": _with_fee_field("complexity", required=False)},
            "the rule can price: complexity\\. \\[type",
        ),
        (
            {
                "fee_rule": PBG_RULE_JSON,
                "fields": _with_fee_field("floors", kind="decimal", min="1", max="8"),
            },
            "the rule can price: floors\\. \\[type",
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
