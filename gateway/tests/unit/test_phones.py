"""Phone numbers: every typed form of an Indonesian number is stored one way, by its plan."""

import contextlib
import re

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kota_gateway.identity.accounts.phones import InvalidPhone, looks_like_phone, normalise_phone

SHAPE_ALONE = re.compile(r"\+62[1-9]\d{7,11}")
"""What the hand-written check accepted: +62 and 8 to 12 digits, whatever they were."""


@pytest.mark.parametrize(
    "typed",
    [
        "081234567890",
        "0812-3456-7890",
        "(0812) 3456.7890",
        "+62 812 3456 7890",
        "+62 (812) 3456-7890",
        "6281234567890",
        "62 812 3456 7890",
        "006281234567890",
        "0062 812-3456-7890",
        " 0812 3456 7890 ",
    ],
)
def test_indonesian_phone_numbers_are_stored_one_way(typed: str) -> None:
    assert normalise_phone(typed) == "+6281234567890"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("021-555-1234", "+62215551234"),  # Jakarta
        ("+62 (21) 555-1234", "+62215551234"),
        ("0361 123456", "+62361123456"),  # Denpasar
        ("0881-2345-6789", "+6288123456789"),  # Smartfren
    ],
)
def test_fixed_line_numbers_are_accepted_too(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "+6212345",
        "+6281234567890123",
        "+6581234567",  # Singapore
        "0065 8123 4567",
        "81234567890",  # no trunk 0 and no country code: read as +81 (Japan)
        "+620812345",
        "0812abc4567",  # a keypad's letters are not a number here
        "081234567890 ext 12",
        "+62 812 3456 7890 #",
        "",
        "+",
        "0",
    ],
)
def test_what_is_not_an_indonesian_phone_number(typed: str) -> None:
    with pytest.raises(InvalidPhone):
        normalise_phone(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "+6284123456789",  # 084x: no operator has it
        "+62101234567",  # 010 is no area code
        "+6281234567",  # a Telkomsel number too short
        "+628001234567",  # toll-free: a service, not a person
        "+628091234567",  # premium rate
        "+628041234567",  # shared cost
    ],
)
def test_numbers_of_the_right_shape_the_plan_does_not_give_a_person_are_refused(
    typed: str,
) -> None:
    assert SHAPE_ALONE.fullmatch(typed)
    with pytest.raises(InvalidPhone):
        normalise_phone(typed)


@given(st.from_regex(r"\A\+62[1-9][0-9]{7,11}\Z"))
def test_a_stored_number_is_valid_and_normalising_it_again_changes_nothing(number: str) -> None:
    try:
        stored = normalise_phone(number)
    except InvalidPhone:
        return
    assert stored == number
    assert normalise_phone("0" + number[3:]) == number
    assert normalise_phone(number[1:]) == number
    assert phonenumbers.is_valid_number_for_region(phonenumbers.parse(stored), "ID")


@given(st.text(max_size=30))
def test_no_input_breaks_the_normaliser(value: str) -> None:
    with contextlib.suppress(InvalidPhone):
        stored = normalise_phone(value)
        assert stored.startswith("+62")
        assert stored[1:].isascii()
        assert stored[1:].isdigit()


def test_looks_like_phone() -> None:
    assert looks_like_phone("0812-3456-7890")
    assert not looks_like_phone("rina.permits")
    assert not looks_like_phone("0800-1234567")
