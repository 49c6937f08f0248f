"""The pure pieces of permit issuance: verification codes, permit numbers, masked names, QR."""

import base64
import string
import unicodedata
import uuid
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from permits.issuance.certificate import (
    format_permit_number,
    mask_name,
    parse_permit_number,
)
from permits.issuance.verification import CODE_LENGTH, InvalidCode, VerificationCodes

CODES = VerificationCodes(["current-secret", "previous-secret"])
BASE64URL = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
VERIFY_URL = "https://kota.example/v1/permits/verify/"

# --- verification codes ---------------------------------------------------------------------


@given(st.uuids())
def test_a_code_is_short_url_safe_and_verifies_to_its_permit(permit_id: uuid.UUID) -> None:
    code = CODES.issue(permit_id)

    assert len(code) == CODE_LENGTH == 45
    assert quote(code, safe="") == code
    assert CODES.verify(code) == permit_id


def test_the_signature_carries_128_bits() -> None:
    signature = CODES.issue(uuid.uuid4()).split(".")[1]

    assert len(base64.urlsafe_b64decode(signature + "==")) * 8 == 128


def test_a_printed_code_keeps_verifying_across_releases() -> None:
    """Pins the whole scheme (salt, key derivation, digest, encoding) to one known code."""
    permit_id = uuid.UUID("0b7c3f5e-1d2a-4c8b-9e6f-3a5d7c9e1b20")
    codes = VerificationCodes(["golden-secret"])

    assert codes.issue(permit_id) == "C3w_Xh0qTIuebzpdfJ4bIA.K2auUf_OTTEHszBdYtai3Q"
    assert codes.verify("C3w_Xh0qTIuebzpdfJ4bIA.K2auUf_OTTEHszBdYtai3Q") == permit_id


@given(
    st.one_of(
        st.text(),
        st.text(alphabet=BASE64URL + ".", min_size=CODE_LENGTH, max_size=CODE_LENGTH),
        st.from_regex(r"[A-Za-z0-9_-]{21}[AQgw]\.[A-Za-z0-9_-]{21}[AQgw]", fullmatch=True),
    )
)
def test_arbitrary_text_is_only_ever_an_invalid_code(text: str) -> None:
    with pytest.raises(InvalidCode):
        CODES.verify(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A" * 10_000_000,
        "é" * CODE_LENGTH,
        "\x00" * CODE_LENGTH,
        "\ud800" * CODE_LENGTH,
        "C3w_Xh0qTIuebzpdfJ4bIA.K2auUf_OTTEHszBdYtai3Q\n",
    ],
)
def test_hostile_input_is_an_invalid_code(text: str) -> None:
    with pytest.raises(InvalidCode):
        CODES.verify(text)


@given(st.uuids(), st.data())
def test_altering_any_character_invalidates_the_code(
    permit_id: uuid.UUID, data: st.DataObject
) -> None:
    code = CODES.issue(permit_id)
    index = data.draw(st.integers(0, len(code) - 1))
    replacement = data.draw(
        st.one_of(st.sampled_from(BASE64URL + "."), st.characters()).filter(
            lambda char: char != code[index]
        )
    )

    with pytest.raises(InvalidCode):
        CODES.verify(code[:index] + replacement + code[index + 1 :])


@given(st.uuids(), st.integers(0, CODE_LENGTH - 1), st.text(min_size=1))
def test_a_truncated_or_extended_code_is_invalid(
    permit_id: uuid.UUID, keep: int, extra: str
) -> None:
    code = CODES.issue(permit_id)

    with pytest.raises(InvalidCode):
        CODES.verify(code[:keep])
    with pytest.raises(InvalidCode):
        CODES.verify(code + extra)


def test_another_spelling_of_the_same_signature_is_invalid() -> None:
    """The last base64 character has 4 unused bits; a lenient decoder would accept 16 spellings."""
    code = CODES.issue(uuid.uuid4())
    variant = code[:-1] + BASE64URL[BASE64URL.index(code[-1]) + 1]
    assert base64.urlsafe_b64decode(variant[23:] + "==") == base64.urlsafe_b64decode(
        code[23:] + "=="
    )

    with pytest.raises(InvalidCode):
        CODES.verify(variant)


def test_after_rotation_old_codes_verify_and_the_new_secret_signs() -> None:
    permit_id = uuid.uuid4()
    before = VerificationCodes(["previous-secret"])
    after = VerificationCodes(["current-secret", "previous-secret"])

    assert after.verify(before.issue(permit_id)) == permit_id
    assert after.issue(permit_id) == VerificationCodes(["current-secret"]).issue(permit_id)
    with pytest.raises(InvalidCode):
        before.verify(after.issue(permit_id))


def test_a_code_signed_with_an_unknown_secret_is_invalid() -> None:
    forged = VerificationCodes(["attacker-secret"]).issue(uuid.uuid4())

    with pytest.raises(InvalidCode):
        CODES.verify(forged)


def test_a_signature_cannot_be_moved_to_another_permit() -> None:
    first, second = CODES.issue(uuid.uuid4()), CODES.issue(uuid.uuid4())

    with pytest.raises(InvalidCode):
        CODES.verify(first.split(".")[0] + "." + second.split(".")[1])


@pytest.mark.parametrize(
    ("secrets", "error"), [([], ValueError), (["s", ""], ValueError), ("secret", TypeError)]
)
def test_secrets_must_be_a_non_empty_list_of_non_empty_strings(
    secrets: list[str] | str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        VerificationCodes(secrets)


# --- permit numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sequence", "expected"),
    [
        (123, "PBG/3671/2026/000123"),
        (1, "PBG/3671/2026/000001"),
        (1234567, "PBG/3671/2026/1234567"),
    ],
)
def test_permit_numbers_are_zero_padded_to_six_digits(sequence: int, expected: str) -> None:
    assert format_permit_number("PBG", "3671", 2026, sequence) == expected


@pytest.mark.parametrize(
    ("prefix", "city_code", "year", "sequence"),
    [
        ("PBG", "3671", 2026, 0),
        ("PBG", "3671", 2026, -1),
        ("PBG", "3671", 2026, 10**10),
        ("PBG", "3671", 999, 1),
        ("PBG", "3671", 10_000, 1),
        ("pbg", "3671", 2026, 1),
        ("P/B", "3671", 2026, 1),
        ("", "3671", 2026, 1),
        ("PBG", "367", 2026, 1),
        ("PBG", "36711", 2026, 1),
        ("PBG", "٣٦٧١", 2026, 1),
    ],
)
def test_parts_that_cannot_be_parsed_back_are_refused(
    prefix: str, city_code: str, year: int, sequence: int
) -> None:
    with pytest.raises(ValueError, match="permit number"):
        format_permit_number(prefix, city_code, year, sequence)


@given(
    st.from_regex(r"[A-Z][A-Z0-9_]{1,39}", fullmatch=True),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    st.integers(1000, 9999),
    st.integers(1, 10**10 - 1),
)
def test_every_formatted_number_parses_back(
    prefix: str, city_code: str, year: int, sequence: int
) -> None:
    number = format_permit_number(prefix, city_code, year, sequence)

    assert parse_permit_number(number) == (prefix, city_code, year, sequence)


@pytest.mark.parametrize(
    "text",
    [
        "PBG/3671/2026/0000123",
        "PBG/3671/2026/123",
        "PBG/3671/2026/000000",
        "PBG/3671/0999/000123",
        "pbg/3671/2026/000123",
        " PBG/3671/2026/000123",
        "PBG/3671/2026/000123\n",
        "PBG-3671-2026-000123",
        "PBG/3671/2026/٠٠٠١٢٣",
        "PBG/3671/2026/" + "9" * 5000,
        "",
    ],
)
def test_only_numbers_as_issued_parse(text: str) -> None:
    with pytest.raises(ValueError, match="permit number"):
        parse_permit_number(text)


@given(st.text())
def test_parsing_arbitrary_text_only_raises_value_error(text: str) -> None:
    try:
        parts = parse_permit_number(text)
    except ValueError:
        return
    assert format_permit_number(*parts) == text


# --- masked names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Budi Santoso", "B*** S******"),
        ("  Budi \t\n Santoso\u00a0 ", "B*** S******"),
        ("Siti A. Rahma", "S*** A* R****"),
        ("I Made Wirawan", "I M*** W******"),
        ("Sukarno", "S******"),
        ("", ""),
        (" \t\n", ""),
        ("Pe\u0301rez", "P****"),
        ("E\u0301lodie", "\u00c9*****"),
        ("Nguye\u0302\u0303n", "N*****"),
        ("G\u0303uarani", "G\u0303******"),
        ("Ng\u0303a", "N**"),
        ("王小明", "王**"),
        ("𠮷田", "𠮷*"),
    ],
)
def test_names_show_first_letters_and_word_lengths_only(name: str, expected: str) -> None:
    assert mask_name(name) == expected


_UNMARKED_WORDS = st.text(alphabet=st.characters(categories=["Lu", "Ll", "Lo"]), min_size=1).filter(
    lambda word: unicodedata.normalize("NFC", word) == word
)


@given(st.lists(_UNMARKED_WORDS, min_size=1), st.text(alphabet=" \t\n\u00a0\u3000", min_size=1))
def test_masking_hides_everything_but_each_first_letter(words: list[str], gap: str) -> None:
    masked = mask_name(gap + gap.join(words) + gap)

    assert masked == " ".join(word[0] + "*" * (len(word) - 1) for word in words)
