"""Levels, pathways and ages as a parent reads them, in Indonesian and in English."""

import pytest

from education.admission.eligibility import Age
from education.labels import LEVELS, PATHWAYS, AgeInWords
from kota_contracts.education import Pathway, SchoolLevel


@pytest.mark.parametrize(
    ("age", "indonesian", "english"),
    [
        (Age(years=5, months=3), "5 tahun 3 bulan", "5 years 3 months"),
        (Age(years=16, months=0), "16 tahun", "16 years"),
        (Age(years=5, months=1), "5 tahun 1 bulan", "5 years 1 month"),
        (Age(years=1, months=11), "1 tahun 11 bulan", "1 year 11 months"),
    ],
)
def test_an_age_in_words(age: Age, indonesian: str, english: str) -> None:
    assert AgeInWords(age).render("id") == indonesian
    assert AgeInWords(age).render("en") == english


def test_every_level_and_pathway_has_a_name_in_both_languages() -> None:
    assert set(LEVELS) == set(SchoolLevel)
    assert set(PATHWAYS) == set(Pathway)
    for level in SchoolLevel:
        assert LEVELS[level].render("id") == level.value  # SD, SMP, SMA
        assert f"({level.value})" in LEVELS[level].render("en")
    for pathway in Pathway:
        assert PATHWAYS[pathway].render("id") == pathway.value  # domisili, afirmasi, ...
        assert f"({pathway.value})" in PATHWAYS[pathway].render("en")
