"""The seed catalogues: every city's file is a valid catalogue, and Kota Tangerang's holds what
it held when it was Python."""

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from permits.catalogue import seeds
from permits.catalogue.definition import Category, PermitTypeDefinition
from permits.catalogue.documents import DEFAULT_MAX_BYTES
from permits.catalogue.fees import FixedFee, NoFee, PbgRetribusi, assess_fee, fee_fields
from permits.catalogue.fields import FieldSpec, validate_fields
from permits.catalogue.service_levels import DeadlinePolicy, StageTargets
from permits.config import KOTA_TANGERANG

SEED_CATALOGUE = seeds.load(KOTA_TANGERANG)

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


# --- Every city's file --------------------------------------------------------------------------


def test_kota_tangerang_has_a_seed_catalogue() -> None:
    assert KOTA_TANGERANG in seeds.cities()


@pytest.mark.parametrize("city_code", seeds.cities())
def test_every_seed_file_holds_permit_types_as_put_accepts_and_get_answers_them(
    city_code: str,
) -> None:
    seed = resources.files(seeds).joinpath(f"{city_code}.json")
    entries = json.loads(seed.read_text(encoding="utf-8"))
    definitions = seeds.load(city_code)

    assert city_code.isdigit()
    assert len(city_code) == 4
    assert [PermitTypeDefinition.model_validate(entry) for entry in entries] == list(definitions)
    # Written out in full, so a default changed in code cannot change a city's catalogue unseen.
    assert entries == [definition.model_dump(mode="json") for definition in definitions]


def test_a_city_without_a_seed_file_is_told_where_to_add_one() -> None:
    with pytest.raises(
        LookupError,
        match=r"no seed catalogue for city 9999: add permits/catalogue/seeds/9999\.json "
        r"\(cities with one: .*3671",
    ):
        seeds.load("9999")


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"code": "PBG"}], "name_id"),
        ([SEED_CATALOGUE[0].model_dump(mode="json") | {"colour": "red"}], "Extra inputs"),
        ({"PBG": {}}, "list"),
        (
            [definition.model_dump(mode="json") for definition in SEED_CATALOGUE[:1] * 2],
            "Permit type codes must be unique; repeated: PBG.",
        ),
    ],
)
def test_an_invalid_seed_file_is_refused_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: Any, message: str
) -> None:
    tmp_path.joinpath("9998.json").write_text(json.dumps(entries), encoding="utf-8")
    monkeypatch.setattr(seeds, "_SEEDS", tmp_path)

    with pytest.raises(ValueError, match=r"The seed catalogue 9998\.json is not valid") as refused:
        seeds.load("9998")

    assert message in str(refused.value)


# --- Kota Tangerang's catalogue, as it was ------------------------------------------------------


_ESCALATE, _AUTO = DeadlinePolicy.ESCALATE, DeadlinePolicy.AUTO_APPROVE
TANGERANG_SERVICE_LEVELS = {
    "PBG": (1, 10, _ESCALATE),
    "SLF": (1, 5, _ESCALATE),
    "REKLAME": (1, 3, _AUTO),
    "KERAMAIAN": (1, 2, _AUTO),
    "SIP": (1, 5, _AUTO),
    "SERTIFIKAT_STANDAR": (1, 5, _AUTO),
    "TDUP": (1, 3, _AUTO),
    "SPPL": (1, 5, _AUTO),
    "PERTEK_AIR_LIMBAH": (1, 10, _ESCALATE),
}
"""Kota Tangerang's types in seed order: working days to verify and to review, and the policy."""


def test_kota_tangerang_seeds_its_nine_types_in_order() -> None:
    assert len(SEED_CATALOGUE) == 9
    assert list(SEED) == list(TANGERANG_SERVICE_LEVELS)


def test_kota_tangerang_service_levels_in_working_days() -> None:
    assert {
        code: (d.stage_targets.verification, d.stage_targets.review, d.deadline_policy)
        for code, d in SEED.items()
    } == TANGERANG_SERVICE_LEVELS
    assert {code: d.validity_months for code, d in SEED.items() if d.validity_months} == {
        "SLF": 60,
        "REKLAME": 12,
        "SIP": 60,
    }


def test_kota_tangerang_forms_and_documents() -> None:
    assert {code: (len(d.fields), len(d.documents)) for code, d in SEED.items()} == {
        "PBG": (11, 9),
        "SLF": (7, 5),
        "REKLAME": (8, 6),
        "KERAMAIAN": (7, 5),
        "SIP": (6, 6),
        "SERTIFIKAT_STANDAR": (7, 4),
        "TDUP": (6, 4),
        "SPPL": (7, 4),
        "PERTEK_AIR_LIMBAH": (7, 5),
    }
    pbg = SEED["PBG"]
    assert [spec.name for spec in pbg.fields[:4]] == [
        "building_name",
        "address",
        "land_title_number",
        "land_area_m2",
    ]
    assert pbg.fields[4:] == fee_fields(pbg.fee_rule)
    larger = [d for d in pbg.documents if d.max_bytes != DEFAULT_MAX_BYTES]
    drawings = {d.kind: (d.content_types, d.max_bytes) for d in larger}
    assert drawings == dict.fromkeys(
        ["site_plan", "architectural_drawings", "structural_drawings", "mep_drawings"],
        (["application/pdf"], 25 * 1024 * 1024),
    )
    photo = next(d for d in SEED["SIP"].documents if d.kind == "photo")
    assert (photo.content_types, photo.max_bytes) == (["image/jpeg", "image/png"], 2 * 1024 * 1024)
    assert SEED["KERAMAIAN"].category is Category.EVENT
    assert (SEED["SERTIFIKAT_STANDAR"].kbli, SEED["SERTIFIKAT_STANDAR"].risk_level) == (
        ["56101", "56102", "56303"],
        "medium_high",
    )
    assert (SEED["TDUP"].kbli, SEED["TDUP"].risk_level) == (["55130", "79111", "79121"], "low")


def test_kota_tangerang_fees() -> None:
    assert SEED["PBG"].fee_rule == PbgRetribusi(
        shst_per_m2=6_000_000, locality_index=Decimal("0.003")
    )
    assert SEED["REKLAME"].fee_rule == FixedFee(amount=150_000)
    house = {
        "floor_area_m2": "100",
        "floors": 2,
        "building_function": "residential",
        "ownership": "private",
        "complexity": "simple",
        "permanence": "permanent",
        "construction": "new",
    }
    # 100 m² * It 0.18675 * Ibg 1.00 * Ilo 0.003 * SHST Rp 6,000,000 = Rp 336,150.
    assert assess_fee(SEED["PBG"].fee_rule, house) == 336_150
