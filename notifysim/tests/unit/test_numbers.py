"""Recipients' numbers: international form only, checked by libphonenumber."""

import pytest

from kota_notifysim.numbers import recipient


@pytest.mark.parametrize("number", ["+6281234567890", "6281234567890"])
def test_an_international_mobile_number_with_or_without_its_plus(number: str) -> None:
    found = recipient(number)

    assert found is not None
    assert (found.e164, found.wa_id, found.mobile) == ("+6281234567890", "6281234567890", True)


def test_a_landline_is_a_number_but_not_a_mobile_one() -> None:
    found = recipient("+62215550100")

    assert found is not None
    assert found.mobile is False


@pytest.mark.parametrize(
    "number",
    ["081234567890", "+62 812 3456 7890", "+620000000", "abc", "", "+", "+6281234567890123456"],
)
def test_anything_else_is_no_recipient(number: str) -> None:
    assert recipient(number) is None
