"""The region table is complete, so a NIK's regency is checked in every province."""

from datetime import date

import pytest

from kota_gateway.identity.accounts.nik import InvalidNik, parse_nik
from kota_gateway.identity.accounts.regions import (
    PROVINCES,
    REGENCIES,
    REGIONS,
    RETIRED_REGENCIES,
    SOURCE,
    RegionTable,
)

TODAY = date(2026, 6, 1)


def test_every_province_and_regency_of_the_kepmendagri_list_is_there() -> None:
    assert len(PROVINCES) == 38
    assert len(REGENCIES) == 514
    assert all(code[:2] in PROVINCES for code in REGENCIES)
    assert all(code[2:] != "00" and len(code) == 4 for code in REGENCIES)
    assert {code[:2] for code in REGENCIES} == set(PROVINCES)
    assert "Kepmendagri" in SOURCE


def test_the_tangerang_codes_agree_with_the_handout() -> None:
    assert REGIONS.regency_name("3671") == "Kota Tangerang"
    assert REGIONS.regency_name("3603") == "Kabupaten Tangerang"
    assert REGIONS.regency_name("3674") == "Kota Tangerang Selatan"


def test_jakarta_has_kemendagri_codes_not_bps_ones() -> None:
    """The hand-typed table had BPS's numbering here (3171 Jakarta Selatan); a NIK carries
    Kemendagri's."""
    assert REGIONS.regency_name("3171") == "Kota Administrasi Jakarta Pusat"
    assert REGIONS.regency_name("3174") == "Kota Administrasi Jakarta Selatan"


@pytest.mark.parametrize(
    ("value", "regency"),
    [
        ("1101014508900001", "Kabupaten Aceh Selatan"),
        ("1175014508900001", "Kota Subulussalam"),
        ("9404014508900001", "Kabupaten Mimika"),
        ("9501014508900001", "Kabupaten Jayawijaya"),
        ("9671014508900001", "Kota Sorong"),
        ("6571014508900001", "Kota Tarakan"),
    ],
)
def test_regencies_the_old_table_could_not_check_are_known(value: str, regency: str) -> None:
    nik = parse_nik(value, today=TODAY)

    assert REGIONS.regency_name(nik.regency_code) == regency


@pytest.mark.parametrize(
    "value",
    [
        "1119014508900001",  # Aceh has kabupaten 01-18
        "1176014508900001",  # and kota 71-75
        "9150014508900001",  # Papua
        "9672014508900001",  # Papua Barat Daya has one kota
        "6599014508900001",  # Kalimantan Utara
        "3399014508900001",  # Jawa Tengah
    ],
)
def test_an_unknown_regency_in_any_province_is_refused(value: str) -> None:
    with pytest.raises(InvalidNik, match="regency or city of that province"):
        parse_nik(value, today=TODAY)


@pytest.mark.parametrize(
    ("value", "now"),
    [
        ("9101014508900001", "9301"),  # Merauke, Papua until 2022, now Papua Selatan
        ("9201014508900001", "9601"),  # Sorong, Papua Barat until 2022, now Papua Barat Daya
        ("6473014508900001", None),  # a city of Kalimantan Timur until 2012
    ],
)
def test_a_nik_issued_before_its_province_split_is_still_valid(value: str, now: str | None) -> None:
    nik = parse_nik(value, today=TODAY)

    assert nik.regency_code in RETIRED_REGENCIES
    assert nik.regency_code not in REGENCIES
    if now is not None:
        assert RETIRED_REGENCIES[nik.regency_code] == REGENCIES[now]


def test_retired_codes_are_never_given_to_a_regency_in_force() -> None:
    assert not set(RETIRED_REGENCIES) & set(REGENCIES)
    assert all(code[:2] in PROVINCES for code in RETIRED_REGENCIES)


def test_a_narrower_table_still_checks_only_the_provinces_it_lists() -> None:
    table = RegionTable(regencies={"3671": "Kota Tangerang"}, retired={})

    assert table.lists_regencies_of("36")
    assert not table.lists_regencies_of("11")
    assert parse_nik("1120014508900001", today=TODAY, regions=table).regency_code == "1120"
