"""A permit type's form: how answers are checked and normalised, and which specs are refused."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from kota_shared.i18n import Language
from permits.catalogue.fields import FieldErrors, FieldSpec, validate_fields
from permits.messages import _

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


def _refusals(
    values: dict[str, Any], *, complete: bool = True, language: Language = "en"
) -> list[tuple[str, str]]:
    """The refusals as a person reads them in ``language`` (English unless asked)."""
    with pytest.raises(FieldErrors) as refused:
        validate_fields(SPECS, values, complete=complete)
    return [(name, message.render(language)) for name, message in refused.value.errors]


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
        ("use", "factory", "Choose one of the options this question offers."),
        ("use", 1, "Choose one of the options this question offers."),
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

    assert [(name, str(message)) for name, message in refused.value.errors] == [
        ("amount", "That number is too large.")
    ]


def test_every_problem_is_reported_at_once_in_form_order() -> None:
    errors = _refusals({"zzz": 1, "kbli": "1", "floors": 99, "name": "Toko"})

    assert [name for name, _ in errors] == ["floors", "area", "use", "opened_on", "kbli", "zzz"]


def test_field_errors_read_as_one_message() -> None:
    errors = FieldErrors([("floors", _("Enter a whole number.")), ("kbli", _("Enter text."))])

    assert str(errors) == "floors: Enter a whole number.; kbli: Enter text."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("floors", 0, "Masukkan angka paling sedikit 1."),
        ("name", "x" * 11, "Gunakan paling banyak 10 karakter."),
        ("use", "factory", "Pilih salah satu pilihan yang tersedia untuk pertanyaan ini."),
        (
            "opened_on",
            "31/01/2026",
            "Masukkan tanggal yang benar dengan format TTTT-BB-HH, misalnya 2026-01-31.",
        ),
    ],
)
def test_refusals_read_in_indonesian_by_default(field: str, value: Any, message: str) -> None:
    assert _refusals({**VALID, field: value}, language="id") == [(field, message)]


def test_a_refused_choice_does_not_show_the_choices_codes() -> None:
    for language in ("id", "en"):
        ((_field, message),) = _refusals({**VALID, "use": "factory"}, language=language)
        assert "home" not in message
        assert "shop" not in message


def test_a_missing_answer_reads_in_indonesian() -> None:
    assert ("kbli", "Isian ini wajib diisi.") in _refusals({**VALID, "kbli": " "}, language="id")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "text", "choices": ["a"]}, "Choices are required for choice fields"),
        ({"kind": "choice"}, "Choices are required for choice fields"),
        ({"kind": "choice", "choices": []}, "at least one choice"),
        ({"kind": "choice", "choices": ["a", "a"]}, "Choices must be unique; repeated: a\\."),
        ({"kind": "text", "min": 1}, "A minimum and a maximum apply to integer and decimal"),
        ({"kind": "integer", "min": "1.5"}, "whole numbers"),
        ({"kind": "decimal", "min": 5, "max": 1}, "The minimum must not exceed the maximum"),
        ({"kind": "integer", "max_length": 5}, "A maximum length applies to text fields only"),
        ({"kind": "text", "name": "Floor Area"}, "should match pattern"),
        ({"kind": "colour"}, "Input should be"),
        ({"kind": "text", "placeholder": "x"}, "Extra inputs are not permitted"),
    ],
)
def test_field_specs_refuse_options_that_do_not_fit(spec: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        FieldSpec.model_validate({"name": "f", "label_id": "F", "label_en": "F", **spec})
