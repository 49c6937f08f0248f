"""Verification by element: each element answered ``Sesuai`` or ``Tidak Sesuai``, names by a
similarity score against the caller's threshold, and never the stored value itself."""

from datetime import date

import pytest

from kota_regsim import matching
from kota_regsim.population import Address, FamilyCard, Person
from kota_regsim.regions import KELURAHAN

SITI = Person(
    nik="3671014508900001",
    name="Siti Rahmawati",
    birth_date=date(1990, 8, 5),
    sex="female",
    relationship="ISTRI",
    place_of_birth="TANGERANG",
)
CARD = FamilyCard(
    number="3671012309150003",
    issued_on=date(2023, 5, 2),
    address=Address(KELURAHAN[0], "JL. MELATI NO. 7", "002", "004", -6.19, 106.63),
    members=(SITI,),
)


def verify(threshold: int = 90, **elements: str) -> dict[str, str]:
    return matching.verify(SITI, CARD, elements=elements, threshold=threshold)


def test_everything_that_matches_is_sesuai_in_a_fixed_order() -> None:
    answer = verify(
        NO_KK="3671012309150003",
        JENIS_KLMIN="PEREMPUAN",
        TGL_LHR="05-08-1990",
        TMPT_LHR="tangerang",
        NAMA_LGKP="  SITI   RAHMAWATI ",
    )

    assert answer == {
        "NIK": "Sesuai",
        "NAMA_LGKP": "Sesuai (100)",
        "TMPT_LHR": "Sesuai (100)",
        "TGL_LHR": "Sesuai",
        "JENIS_KLMIN": "Sesuai",
        "NO_KK": "Sesuai",
    }
    assert list(answer) == ["NIK", *matching.ELEMENTS]


def test_only_the_elements_sent_are_answered() -> None:
    assert verify() == {"NIK": "Sesuai"}
    assert verify(TGL_LHR="05-08-1990") == {"NIK": "Sesuai", "TGL_LHR": "Sesuai"}


def test_a_name_is_held_against_the_threshold_and_its_score_shown() -> None:
    score = matching.similarity("Siti Rahma", "Siti Rahmawati")

    assert 0 < score < 100
    assert verify(NAMA_LGKP="Siti Rahma") == {
        "NIK": "Sesuai",
        "NAMA_LGKP": f"Tidak Sesuai ({score})",
    }
    assert verify(score, NAMA_LGKP="Siti Rahma")["NAMA_LGKP"] == f"Sesuai ({score})"
    assert verify(score + 1, NAMA_LGKP="Siti Rahma")["NAMA_LGKP"] == f"Tidak Sesuai ({score})"
    assert verify(0, NAMA_LGKP="Budi")["NAMA_LGKP"].startswith("Sesuai (")


@pytest.mark.parametrize("given", ["06-08-1990", "05-08-1991", "1990-08-05", "5 Agustus 1990", ""])
def test_a_birth_date_must_be_the_same_day_written_dd_mm_yyyy(given: str) -> None:
    assert verify(TGL_LHR=given)["TGL_LHR"] == "Tidak Sesuai"


@pytest.mark.parametrize(
    ("given", "verdict"),
    [
        ("P", "Sesuai"),
        ("perempuan", "Sesuai"),
        ("L", "Tidak Sesuai"),
        ("LAKI-LAKI", "Tidak Sesuai"),
        ("F", "Tidak Sesuai"),
    ],
)
def test_sex_is_read_in_dukcapils_words(given: str, verdict: str) -> None:
    assert verify(JENIS_KLMIN=given)["JENIS_KLMIN"] == verdict


def test_a_mismatch_never_shows_the_stored_value() -> None:
    answer = verify(
        NAMA_LGKP="Rina Marlina", TGL_LHR="01-01-1970", TMPT_LHR="BREBES", NO_KK="3671010403180002"
    )

    assert set(answer.values()) <= {"Sesuai", "Tidak Sesuai"} | {
        v for v in answer.values() if v.startswith("Tidak Sesuai (")
    }
    text = " ".join(answer.values()).upper()
    for stored in ("SITI", "RAHMAWATI", "05-08-1990", "TANGERANG", "3671012309150003"):
        assert stored not in text


def test_similarity_ignores_case_and_spaces() -> None:
    assert matching.similarity("SITIRAHMAWATI", "siti rahmawati") == 100
    assert matching.similarity("", "  ") == 100
    assert matching.similarity("abc", "xyz") == 0
