"""SMS lengths: the alphabet a text needs and the segments a phone receives."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kota_shared.sms import measure


@pytest.mark.parametrize(
    ("text", "segments"),
    [("", 1), ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3)],
)
def test_gsm_7_fits_160_alone_and_153_a_part(text: str, segments: int) -> None:
    length = measure(text)

    assert (length.encoding, length.segments, length.units) == ("GSM-7", segments, len(text))


def test_the_extension_table_takes_two_septets() -> None:
    assert measure("{€}").units == 6
    assert measure("a" * 157 + "€").segments == 1
    assert measure("a" * 159 + "€").segments == 2


def test_an_escaped_character_is_not_split_across_parts() -> None:
    # 306 septets would fill two parts of 153, but the escape after the 152nd septet
    # cannot be parted from its character: the second part starts with both.
    length = measure("a" * 152 + "€" + "a" * 152)

    assert length.units == 306
    assert length.segments == 3


def test_indonesian_text_with_accents_of_the_gsm_alphabet_stays_gsm_7() -> None:
    assert measure("Izin Anda disetujui. Tagihan Rp150.000 jatuh tempo 2 Mei; café ü").encoding == (
        "GSM-7"
    )


@pytest.mark.parametrize(
    ("text", "segments"),
    [("ş" * 70, 1), ("ş" * 71, 2), ("ş" * 134, 2), ("ş" * 135, 3)],
)
def test_one_character_outside_gsm_makes_it_ucs_2_of_70_or_67_a_part(
    text: str, segments: int
) -> None:
    length = measure(text)

    assert (length.encoding, length.segments) == ("UCS-2", segments)


def test_an_emoji_takes_two_units_and_is_not_split() -> None:
    assert measure("😀").units == 2
    assert measure("a" * 68 + "😀").segments == 1
    assert measure("a" * 69 + "😀").segments == 2
    # 134 units would fill two parts of 67, but the emoji cannot straddle the first.
    assert measure("a" * 66 + "😀" + "a" * 66).segments == 3


@given(st.text(max_size=600))
def test_segments_hold_the_whole_text_and_no_more_than_needed(text: str) -> None:
    length = measure(text)
    single = 160 if length.encoding == "GSM-7" else 70
    part = 153 if length.encoding == "GSM-7" else 67

    if length.units <= single:
        assert length.segments == 1
    else:
        assert (length.segments - 1) * part < length.units
        # A part loses at most one unit to a character that would not fit.
        assert length.units <= length.segments * part
