"""Language negotiation, translation by catalogue, and values written the way each language
writes them."""

from datetime import date
from typing import Annotated

import pytest
from pydantic import TypeAdapter, ValidationError

from kota_shared.i18n import (
    Catalogue,
    Localized,
    LongDate,
    Rupiah,
    Sequence,
    Weekday,
    negotiate,
)
from kota_shared.i18n.validation import PYDANTIC_TEMPLATES, FieldMessage, Matching


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "id"),
        ("", "id"),
        ("*", "id"),
        ("id-ID", "id"),
        ("fr-FR, de", "id"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("en;q=0.1, id;q=0.9", "id"),
        ("id;q=0.5, en;q=0.8", "en"),
        ("en;q=0, *", "id"),
        ("en;q=banana, id;q=0.2", "id"),
        ("en, id", "en"),
        ("in", "id"),
    ],
)
def test_negotiation_honours_q_values_and_defaults_to_indonesian(
    header: str | None, language: str
) -> None:
    assert negotiate(header) == language


def test_a_huge_header_is_read_only_in_part() -> None:
    assert negotiate("x-" * 100_000 + ", en") == "id"


def test_a_message_renders_in_each_language_with_its_parameters(phrasebook: Catalogue) -> None:
    _ = phrasebook
    message = _(
        "Open until {day}, fee {fee}, for {who}.",
        day=LongDate(date(2026, 10, 1)),
        fee=Rupiah(150_000),
        who=_("children"),
    )

    assert message.render("id") == "Dibuka sampai 1 Oktober 2026, biaya Rp150.000, untuk anak-anak."
    assert message.render("en") == "Open until 1 October 2026, fee Rp150.000, for children."
    assert str(message) == message.render("en")


def test_a_message_without_translation_falls_back_to_english(phrasebook: Catalogue) -> None:
    assert phrasebook("Not translated yet.").render("id") == "Not translated yet."


def test_labels_and_lists_follow_the_language() -> None:
    labels = Sequence.of([Localized(id="Nama pemilik", en="Holder name"), "KTP", "NPWP"])

    assert labels.render("id") == "Nama pemilik, KTP, dan NPWP"
    assert labels.render("en") == "Holder name, KTP and NPWP"


def test_weekdays_are_named_in_each_language_from_monday() -> None:
    week = range(1, 8)

    assert [Weekday(day).render("id") for day in week] == [
        "Senin",
        "Selasa",
        "Rabu",
        "Kamis",
        "Jumat",
        "Sabtu",
        "Minggu",
    ]
    assert [Weekday(day).render("en") for day in week] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]


def test_the_shared_catalogue_translates_every_pydantic_message() -> None:
    shared = Catalogue("kota_shared")

    untranslated = sorted(t for t in PYDANTIC_TEMPLATES.values() if not shared.has(t))

    assert untranslated == []


def test_a_pattern_is_refused_with_its_own_message_and_still_documented(
    phrasebook: Catalogue,
) -> None:
    _ = phrasebook
    nisn = Annotated[str, Matching(r"\d{10}", _("{name} is not allowed.", name="NISN"))]
    adapter = TypeAdapter(nisn)

    with pytest.raises(ValidationError) as refused:
        adapter.validate_python("12345")

    (error,) = refused.value.errors()
    assert FieldMessage(error).render("id") == "NISN tidak diperbolehkan."
    assert FieldMessage(error).render("en") == "NISN is not allowed."
    assert adapter.validate_python("0123456789") == "0123456789"
    assert adapter.json_schema() == {"type": "string", "pattern": r"^\d{10}$"}
