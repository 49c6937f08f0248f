"""Personal numbers and secrets redacted from free text, and what is left alone."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from information.rendering.masking import mask_identifier, redact


@pytest.mark.parametrize(
    ("written", "redacted"),
    [
        ("NIK 3671014501900001.", "NIK ************0001."),
        ("KK 3671 0123 0115 0004", "KK ************0004"),
        ("KK 3671-0123-0115-0004", "KK ************0004"),
        ("KK 3671.0123.0115.0004", "KK ************0004"),
        ("NIK 367101 450190 0001", "NIK ************0001"),
        ("nomor 36710145019000012345", "nomor ****************2345"),
        ("telepon 0812-3456-7890", "telepon ********7890"),
        ("WA +62 812 3456 7890 ya", "WA *********7890 ya"),
        ("hubungi 6281234567890", "hubungi *********7890"),
        ("rumah (021) 5588 1234", "rumah *******1234"),
        ("postgresql://svc:hunter2@db:5432/x", "postgresql://***@db:5432/x"),
        ("failed (password=hunter2)", "failed (password=***)"),
        ("API_KEY: abc123, retry", "API_KEY: ***, retry"),
        ("token=eyJhbGciOi.x.y", "token=***"),
    ],
)
def test_personal_numbers_and_secrets_are_masked(written: str, redacted: str) -> None:
    assert redact(written) == redacted


@pytest.mark.parametrize(
    "text",
    [
        "Retribusi Rp1.500.000.000 sudah termasuk pajak.",
        "Datang tanggal 12-03-2026 pukul 10.30.",
        "Izin PBG/3671/2026/000123, KBLI 56101, NIB 1234567890123, NPSN 20606123.",
        "Kecamatan 36.71.05, tagihan KL2026-00000042.",
    ],
)
def test_amounts_dates_and_public_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_an_announcements_hotline_may_stay() -> None:
    text = "Hotline WhatsApp 0811-1500-123; NIK 3671014501900001 jangan disebar."

    assert redact(text, phone_numbers=False) == (
        "Hotline WhatsApp 0811-1500-123; NIK ************0001 jangan disebar."
    )


def test_a_masked_identifier_keeps_its_last_four_digits_only() -> None:
    assert mask_identifier("3671-0145-0190-0001") == "************0001"
    assert mask_identifier("123") == "123"


@given(
    nik=st.from_regex(r"[0-9]{16}", fullmatch=True),
    before=st.text(max_size=30),
    after=st.text(max_size=30),
)
def test_no_sixteen_digit_number_survives_whatever_surrounds_it(
    nik: str, before: str, after: str
) -> None:
    assert nik not in redact(f"{before}{nik}{after}")
