"""Virtual account numbers: 16 digits, the bank's prefix, the serial, a Luhn check digit."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments.channels.virtual_accounts import VA_LENGTH, is_valid_va, va_number

BCA_STYLE = "88908"
FULL_WIDTH_BCA = "".join(chr(ord(digit) + 0xFEE0) for digit in BCA_STYLE)
"""Digits as some phone keyboards type them: ``str.isdigit()`` says yes, banks say no."""
prefixes = st.text(alphabet="0123456789", min_size=3, max_size=8)


@st.composite
def prefix_and_serial(draw: st.DrawFn) -> tuple[str, int]:
    prefix = draw(prefixes)
    return prefix, draw(st.integers(0, 10 ** (VA_LENGTH - len(prefix) - 1) - 1))


def luhn_by_hand(digits: str) -> int:
    """The check digit that makes the Luhn sum of ``digits`` + it a multiple of 10."""
    total = 0
    for index, digit in enumerate(reversed(digits)):
        doubled = int(digit) * (2 if index % 2 == 0 else 1)
        total += doubled - 9 if doubled > 9 else doubled
    return (10 - total % 10) % 10


# Format.


def test_prefix_then_zero_padded_serial_then_check_digit() -> None:
    # 889080000000001, from the right: doubled 1→2, 8→16→7, 9→18→9, 8→16→7; kept 8 (and
    # zeros); 33, so the check digit is 7.
    assert va_number(BCA_STYLE, 1) == "8890800000000017"
    assert va_number(BCA_STYLE, 123_456) == "8890800001234565"


@given(prefix_and_serial())
def test_every_number_is_16_digits_with_its_prefix_and_serial(case: tuple[str, int]) -> None:
    prefix, serial = case

    number = va_number(prefix, serial)

    assert len(number) == VA_LENGTH
    assert number.isdigit()
    assert number.startswith(prefix)
    assert int(number[len(prefix) : -1]) == serial
    assert int(number[-1]) == luhn_by_hand(number[:-1])
    assert is_valid_va(number, prefix)


@pytest.mark.parametrize(("prefix", "largest"), [("123", 999_999_999_999), ("12345678", 9_999_999)])
def test_prefix_length_decides_how_many_serials_fit(prefix: str, largest: int) -> None:
    assert va_number(prefix, largest)[len(prefix) : -1] == str(largest)
    with pytest.raises(ValueError, match="serial"):
        va_number(prefix, largest + 1)


@pytest.mark.parametrize("serial", [10_000_000_000, -1, True])
def test_serials_that_do_not_fit_are_refused(serial: int) -> None:
    with pytest.raises(ValueError, match="serial"):
        va_number(BCA_STYLE, serial)


@pytest.mark.parametrize("prefix", ["", "88", "123456789", "889O8", FULL_WIDTH_BCA, " 88908"])
def test_prefix_must_be_3_to_8_ascii_digits(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        va_number(prefix, 1)
    with pytest.raises(ValueError, match="prefix"):
        is_valid_va("8890800000000017", prefix)


# Validation.


@pytest.mark.parametrize(
    "number",
    [
        "8890800000000018",  # wrong check digit
        "889080000000017",  # too short
        "88908000000000017",  # too long
        "8890800000000O17",  # a letter O
        FULL_WIDTH_BCA + "00000000017",
        "88908 0000000017",
        "",
    ],
)
def test_malformed_numbers_are_not_valid(number: str) -> None:
    assert not is_valid_va(number, BCA_STYLE)


def test_another_banks_prefix_is_not_valid() -> None:
    number = va_number("88909", 42)

    assert is_valid_va(number, "88909")
    assert not is_valid_va(number, BCA_STYLE)


# Typos.


@given(prefix_and_serial(), st.integers(0, VA_LENGTH - 1), st.integers(1, 9))
def test_every_single_digit_typo_is_caught(
    case: tuple[str, int], position: int, shift: int
) -> None:
    prefix, serial = case
    number = va_number(prefix, serial)
    typo = str((int(number[position]) + shift) % 10)

    assert not is_valid_va(number[:position] + typo + number[position + 1 :], prefix)


@given(prefix_and_serial(), st.integers(0, VA_LENGTH - 2))
def test_every_adjacent_transposition_is_caught_except_0_and_9(
    case: tuple[str, int], position: int
) -> None:
    prefix, serial = case
    number = va_number(prefix, serial)
    pair = number[position : position + 2]
    swapped = number[:position] + pair[::-1] + number[position + 2 :]

    if pair[0] != pair[1] and set(pair) != {"0", "9"}:
        assert not is_valid_va(swapped, prefix)


def test_luhn_cannot_see_0_and_9_swapped() -> None:
    """The one blind spot of Luhn: doubling 9 gives 18 → 9, so 09 and 90 sum alike."""
    number = va_number(BCA_STYLE, 90)  # 88908 0000000090 + check digit
    swapped = number.replace("0090", "0900")

    assert swapped != number
    assert is_valid_va(swapped, BCA_STYLE)
