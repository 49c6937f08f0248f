"""Values as a notice writes them in each language, on the city's clock."""

from zoneinfo import ZoneInfo

import pytest

from information.rendering.formats import Formats

WIB = ZoneInfo("Asia/Jakarta")
ID, EN = Formats("id", WIB), Formats("en", WIB)


def test_rupiah_are_whole_and_written_as_the_city_writes_them() -> None:
    assert ID.rupiah(150_000) == "Rp150.000"
    assert EN.rupiah(1_250_000) == "Rp1.250.000"
    for not_rupiah in (True, 1.5, "150000"):
        with pytest.raises(TypeError):
            ID.rupiah(not_rupiah)  # type: ignore[arg-type]


def test_days_and_instants_in_each_language() -> None:
    assert ID.date("2026-03-05") == "5 Maret 2026"
    assert EN.date("2026-03-05") == "5 March 2026"
    # 18:30 UTC is already the next day in Tangerang.
    assert ID.date("2026-03-04T18:30:00+00:00") == "5 Maret 2026"
    assert ID.moment("2026-03-05T02:00:00+00:00") == "5 Maret 2026 09.00 WIB"
    assert EN.moment("2026-03-05T02:00:00+00:00") == "5 March 2026 09.00 WIB"
    assert Formats("id", ZoneInfo("Asia/Jayapura")).moment("2026-03-05T02:00:00+00:00") == (
        "5 Maret 2026 11.00 WIT"
    )


def test_an_exclusive_deadline_names_the_last_day_within_it() -> None:
    assert ID.last_day("2027-08-12T00:00:00+07:00") == "11 Agustus 2027"
    assert EN.last_day("2027-08-11T17:00:00+00:00") == "11 August 2027"
    assert ID.last_day("2027-08-12T09:00:00+07:00") == "12 Agustus 2027"


def test_an_instant_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        ID.moment("2026-03-05T09:00:00")


def test_counts_are_grouped() -> None:
    assert ID.number(12_345) == "12.345"
