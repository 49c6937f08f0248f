"""NIK rules: structure, region, date with the women's +40, century, serial, masking."""

import contextlib
import string
from datetime import date, timedelta

import pytest
import stdnum.id.nik
from hypothesis import example, given
from hypothesis import strategies as st

from kota_gateway.identity.accounts.nik import (
    InvalidNik,
    Nik,
    Sex,
    birth_year,
    disagreements,
    mask_nik,
    parse_nik,
)
from kota_gateway.identity.accounts.regions import PROVINCES, REGENCIES, REGIONS

TODAY = date(2026, 6, 1)


def parse(value: str) -> Nik:
    return parse_nik(value, today=TODAY)


def compose(regency: str, district: int, born: date, sex: Sex, serial: int) -> str:
    day = born.day + (40 if sex is Sex.FEMALE else 0)
    return f"{regency}{district:02d}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def test_a_womans_nik_from_kota_tangerang() -> None:
    nik = parse("3671014508900001")

    assert (nik.birth_date, nik.sex, nik.serial) == (date(1990, 8, 5), Sex.FEMALE, 1)
    assert (nik.province_code, nik.regency_code, nik.district_code) == ("36", "3671", "367101")


def test_a_mans_nik_from_kabupaten_tangerang() -> None:
    nik = parse("3603121708450123")

    assert (nik.birth_date, nik.sex, nik.serial) == (date(1945, 8, 17), Sex.MALE, 123)


def test_separators_people_type_are_ignored() -> None:
    assert parse("3674 01.450890-0001").value == "3674014508900001"


@pytest.mark.parametrize(
    ("two_digits", "year"),
    [(0, 2000), (25, 2025), (26, 2026), (27, 1927), (99, 1999)],
)
def test_century_is_this_one_unless_the_year_is_still_ahead(two_digits: int, year: int) -> None:
    assert birth_year(two_digits, today=TODAY) == year


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("367101450890000", "exactly 16 digits"),
        ("36710145089000011", "exactly 16 digits"),
        ("3671O14508900001", "only digits"),
        ("\uff13" * 16, "only digits"),  # full-width digits are not ASCII digits
        ("9971014508900001", "province"),
        ("2071014508900001", "province"),
        ("3699014508900001", "regency or city of that province"),
        ("3605014508900001", "regency or city of that province"),  # Banten is listed whole
        ("3218004508900001", "district"),
        ("3300014508900001", "regency or city of that province"),
        ("1119014508900001", "regency or city of that province"),  # Aceh has 01-18
        ("3671010008900001", "real date"),  # day 0
        ("3671013208900001", "real date"),  # a man's day 32
        ("3671014008900001", "real date"),  # 40: neither a man's nor a woman's day
        ("3671017208900001", "real date"),  # a woman's day 32
        ("3671013102900001", "real date"),  # 31 February
        ("3671012902970001", "real date"),  # 1997 is not a leap year
        ("3671010113900001", "real date"),  # month 13
        ("3671010100900001", "real date"),  # month 0
        ("3671010207260001", "future"),  # 2 July 2026, after TODAY
        ("3671014508900000", "serial"),
    ],
)
def test_invalid_niks_say_why(value: str, reason: str) -> None:
    with pytest.raises(InvalidNik) as raised:
        parse(value)

    assert reason in raised.value.reason


def test_leap_days_follow_the_century_rule() -> None:
    assert parse("3671016902000001").birth_date == date(2000, 2, 29)  # a woman, 29 Feb 2000
    assert parse("3671012902960001").birth_date == date(1996, 2, 29)


def test_regencies_of_every_province_are_known() -> None:
    assert parse("3374011708450001").regency_code == "3374"  # Kota Semarang
    assert parse("9601011708450001").province_code == "96"  # Papua Barat Daya


def test_born_today_is_valid_and_tomorrow_is_not() -> None:
    assert parse(compose("3671", 1, TODAY, Sex.MALE, 1)).birth_date == TODAY
    with pytest.raises(InvalidNik):
        parse(compose("3671", 1, TODAY + timedelta(days=1), Sex.MALE, 1))


def test_the_masked_form_keeps_the_regency_and_the_serial() -> None:
    assert mask_nik("3671014508900001") == "3671**********0001"
    assert parse("3671014508900001").masked() == "3671**********0001"


def test_a_nik_never_shows_whole_in_its_repr() -> None:
    assert "3671014508900001" not in repr(parse("3671014508900001"))


def test_registration_details_must_agree_with_the_nik() -> None:
    nik = parse("3671014508900001")

    assert disagreements(nik, birth_date=date(1990, 8, 5), sex=Sex.FEMALE) == {}
    assert set(disagreements(nik, birth_date=date(1990, 8, 6), sex=Sex.MALE)) == {
        "birth_date",
        "sex",
    }


def test_the_region_table() -> None:
    assert len(PROVINCES) == 38
    assert {code for code in REGENCIES if code.startswith("36")} == {
        "3601", "3602", "3603", "3604", "3671", "3672", "3673", "3674",
    }  # fmt: skip
    assert {code for code in REGENCIES if code.startswith("32")} == {
        f"32{n:02d}" for n in [*range(1, 19), *range(71, 80)]
    }
    assert {"3101", "3171", "3172", "3173", "3174", "3175"} <= set(REGENCIES)
    assert all(code[:2] in PROVINCES for code in REGENCIES)
    assert REGIONS.regency_name("3674") == "Kota Tangerang Selatan"


# Properties ------------------------------------------------------------------------------

births = st.dates(min_value=date(TODAY.year - 99, 1, 1), max_value=TODAY)
regencies = st.sampled_from(sorted(REGENCIES))
valid_niks = st.builds(
    compose,
    regencies,
    st.integers(1, 99),
    births,
    st.sampled_from(Sex),
    st.integers(1, 9999),
)


@given(regencies, st.integers(1, 99), births, st.sampled_from(Sex), st.integers(1, 9999))
def test_what_a_nik_encodes_is_what_it_says(
    regency: str, district: int, born: date, sex: Sex, serial: int
) -> None:
    nik = parse(compose(regency, district, born, sex, serial))

    assert (nik.regency_code, nik.birth_date, nik.sex, nik.serial) == (regency, born, sex, serial)
    assert disagreements(nik, birth_date=born, sex=sex) == {}


@given(st.text(alphabet=string.digits, min_size=16, max_size=16))
@example("3671014508900001")
def test_any_sixteen_digits_are_a_nik_that_round_trips_or_rejected_with_a_reason(
    value: str,
) -> None:
    try:
        nik = parse(value)
    except InvalidNik as rejected:
        reason = rejected.reason
        assert reason
        return
    rebuilt = compose(nik.regency_code, int(value[4:6]), nik.birth_date, nik.sex, nik.serial)
    assert rebuilt == value
    assert nik.birth_date <= TODAY
    assert nik.serial >= 1


@given(st.text(max_size=40))
def test_no_input_breaks_the_parser(value: str) -> None:
    with contextlib.suppress(InvalidNik):
        parse(value)


@given(valid_niks)
def test_masking_hides_the_middle_and_keeps_the_ends(value: str) -> None:
    masked = mask_nik(value)

    assert masked == value[:4] + "*" * 10 + value[-4:]
    assert value[4:12] not in masked


# A second opinion: python-stdnum checks little beyond the province and guesses the 1900s
# first, so it must accept what we accept (where its older province list has the code) and
# agree on day, month and the two year digits.
STDNUM_LACKS = {"65", "92", "93", "95", "96"}  # its list predates the 2012 and 2022 splits


@given(valid_niks)
def test_stdnum_accepts_what_we_accept(value: str) -> None:
    if value[:2] in STDNUM_LACKS:
        return
    ours = parse(value).birth_date
    theirs = stdnum.id.nik.get_birth_date(value)

    assert stdnum.id.nik.is_valid(value)
    assert (theirs.day, theirs.month, theirs.year % 100) == (ours.day, ours.month, ours.year % 100)
