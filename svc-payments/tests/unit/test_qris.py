"""Dynamic QRIS payloads, cross-checked with an independent parser (qriskit) and read back."""

import binascii
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
import qriskit
from hypothesis import given
from hypothesis import strategies as st

from kota_shared.qr import qr_png
from payments.channels.qris import (
    MAX_AMOUNT,
    InvalidQris,
    Merchant,
    QrisPayment,
    dynamic_payload,
    read_payload,
)

TANGERANG = Merchant(
    name="Pemkot Tangerang",
    city="Tangerang",
    nmid="ID1020021181745",
    acquirer_guid="ID.CO.BANKDKI.WWW",
    merchant_pan="9360011100001234",
    merchant_id="KOTA00001",
    size_class="URE",
    postal_code="15111",
)
TANGSEL = Merchant(
    name="Bapenda Tangerang Selatan",  # exactly 25 characters
    city="Tangerang Sel.",
    nmid="ID2021123456789",
    acquirer_guid="ID.CO.BANKBJB.WWW",
    merchant_pan="9360011012345678901",  # 19 digits, the most tag 26 allows
    merchant_id="TANGSEL-BAPENDA",  # 15 characters, likewise
    size_class="UBE",
)
KIOSK = Merchant(
    name="Kantin Café Balai Kota",
    city="Tangerang",
    nmid="ID1019005226870",
    acquirer_guid="ID.CO.BRI.WWW",
    merchant_pan="93600002",
    merchant_id="M1",
    size_class="UMI",
    mcc="5814",
    postal_code="15118",
)
MERCHANTS = [TANGERANG, TANGSEL, KIOSK]

# Built once by hand from the fields above and checked with a bit-by-bit CRC (below), not with
# the code under test.
KNOWN_PAYLOAD = (
    "000201"
    "010212"
    "26610017ID.CO.BANKDKI.WWW011693600111000012340209KOTA000010303URE"
    "51440014ID.CO.QRIS.WWW0215ID10200211817450303URE"
    "52049399"
    "5303360"
    "5406150000"
    "5802ID"
    "5916PEMKOT TANGERANG"
    "6009TANGERANG"
    "610515111"
    "62190115INV-2026-000123"
    "6304"
    "8B47"
)

BILL_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./_-"
bill_numbers = st.text(alphabet=BILL_CHARS, min_size=1, max_size=25)
amounts = st.integers(min_value=1, max_value=MAX_AMOUNT)


def ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE one bit at a time, as the standard describes it."""
    register = 0xFFFF
    for byte in data:
        register ^= byte << 8
        for _ in range(8):
            register = (register << 1) ^ 0x1021 if register & 0x8000 else register << 1
            register &= 0xFFFF
    return register


def sealed(body: str) -> str:
    """``body`` (ending before tag 63) with a correct CRC, for payloads the builder won't make."""
    body += "6304"
    return body + f"{ccitt_false(body.encode()):04X}"


def assert_qriskit_reads(
    payload: str, merchant: Merchant, *, amount: int, bill_number: str
) -> qriskit.QRIS:
    qris = qriskit.parse(payload, strict=True)
    warnings = {issue.code for issue in qriskit.validate(payload)}
    assert warnings == (set() if merchant.postal_code else {"postal_code.missing"})
    assert qris.is_dynamic
    assert qris.amount == Decimal(amount)
    assert qris.get("54") == str(amount)
    assert qris.merchant_name == merchant.name
    assert qris.merchant_city == merchant.city
    assert qris.postal_code == merchant.postal_code
    assert qris.mcc == merchant.mcc
    assert qris.currency == "360"
    assert qris.nmid == merchant.nmid
    assert qris.additional_data.bill_number == bill_number
    assert qris.dumps() == payload  # qriskit recomputes the CRC and gets ours
    return qris


# Building, and what qriskit reads.


@pytest.mark.parametrize("merchant", MERCHANTS, ids=lambda m: m.name)
@pytest.mark.parametrize("amount", [1, 10_000, 150_000, 2_500_000, MAX_AMOUNT])
def test_qriskit_accepts_and_reads_what_we_build(merchant: Merchant, amount: int) -> None:
    payload = dynamic_payload(merchant, amount=amount, bill_number="INV/2026/000123")

    assert_qriskit_reads(payload, merchant, amount=amount, bill_number="INV/2026/000123")


@pytest.mark.parametrize("merchant", MERCHANTS, ids=lambda m: m.name)
def test_payload_is_exactly_what_qriskit_builds_from_the_same_fields(merchant: Merchant) -> None:
    ours = dynamic_payload(merchant, amount=75_000, bill_number="B-1", terminal_label="LOKET-3")

    theirs = qriskit.build(
        merchant_name=merchant.name,
        merchant_city=merchant.city,
        mcc=merchant.mcc,
        postal_code=merchant.postal_code,
        amount=75_000,
        accounts=[
            qriskit.MerchantAccount.create(
                tag="26",
                guid=merchant.acquirer_guid,
                pan=merchant.merchant_pan,
                merchant_id=merchant.merchant_id,
                criteria=merchant.size_class,
            ),
            qriskit.MerchantAccount.national(nmid=merchant.nmid, criteria=merchant.size_class),
        ],
        additional_data={"01": "B-1", "07": "LOKET-3"},
    )

    assert ours == theirs.dumps()
    assert theirs.additional_data.terminal_label == "LOKET-3"


def test_terminal_label_goes_in_tag_62_after_the_bill_number() -> None:
    payload = dynamic_payload(TANGERANG, amount=5_000, bill_number="B1", terminal_label="KIOSK01")

    assert "62170102B10707KIOSK01" in payload


def test_known_payload_and_its_crc() -> None:
    assert ccitt_false(b"123456789") == 0x29B1  # the catalogued check value of CCITT-FALSE
    assert ccitt_false(KNOWN_PAYLOAD[:-4].encode()) == 0x8B47
    assert binascii.crc_hqx(KNOWN_PAYLOAD[:-4].encode(), 0xFFFF) == 0x8B47

    assert dynamic_payload(TANGERANG, amount=150_000, bill_number="INV-2026-000123") == (
        KNOWN_PAYLOAD
    )
    assert qriskit.validate(KNOWN_PAYLOAD) == []
    assert qriskit.parse(KNOWN_PAYLOAD).crc == "8B47"
    assert read_payload(KNOWN_PAYLOAD) == QrisPayment(
        amount=150_000, bill_number="INV-2026-000123", nmid="ID1020021181745"
    )


def test_payload_renders_as_a_qr_png() -> None:
    png = qr_png(dynamic_payload(TANGSEL, amount=MAX_AMOUNT, bill_number="X" * 25))

    assert png.startswith(b"\x89PNG\r\n\x1a\n")


@given(amount=amounts, bill_number=bill_numbers, merchant=st.sampled_from(MERCHANTS))
def test_any_amount_and_bill_number_round_trip(
    amount: int, bill_number: str, merchant: Merchant
) -> None:
    payload = dynamic_payload(merchant, amount=amount, bill_number=bill_number)

    assert read_payload(payload) == QrisPayment(
        amount=amount, bill_number=bill_number, nmid=merchant.nmid
    )
    assert_qriskit_reads(payload, merchant, amount=amount, bill_number=bill_number)


# A corrupted payload.


def test_a_flipped_character_fails_the_crc_in_both_parsers() -> None:
    at = KNOWN_PAYLOAD.index("PEMKOT")
    flipped = KNOWN_PAYLOAD[:at] + "Q" + KNOWN_PAYLOAD[at + 1 :]  # same length, same structure

    with pytest.raises(InvalidQris, match="CRC"):
        read_payload(flipped)
    assert [issue.code for issue in qriskit.validate(flipped)] == ["crc.mismatch"]


def test_any_changed_character_is_refused_by_both_parsers() -> None:
    for position, original in enumerate(KNOWN_PAYLOAD):
        replacement = "7" if original != "7" else "3"  # a digit, so lengths stay readable
        changed = KNOWN_PAYLOAD[:position] + replacement + KNOWN_PAYLOAD[position + 1 :]

        with pytest.raises(InvalidQris):
            read_payload(changed)
        assert not qriskit.is_valid(changed), position


def test_a_lowercase_crc_is_refused() -> None:
    payload = dynamic_payload(KIOSK, amount=12_000, bill_number="B1")
    lowered = payload[:-4] + payload[-4:].lower()
    assert lowered != payload  # the CRC of this payload has letters in it

    with pytest.raises(InvalidQris, match="CRC"):
        read_payload(lowered)
    assert [issue.code for issue in qriskit.validate(lowered)] == ["crc.lowercase"]


# Payloads that are well-formed QRIS but not ours to accept.


def test_static_qris_is_refused() -> None:
    static = qriskit.parse(KNOWN_PAYLOAD).to_static().dumps()
    assert qriskit.is_valid(static)

    with pytest.raises(InvalidQris, match="dynamic"):
        read_payload(static)


def test_tip_or_convenience_fee_is_refused() -> None:
    with_fee = qriskit.parse(KNOWN_PAYLOAD).to_dynamic(150_000, tip=qriskit.Tip.fixed(2_500))
    assert qriskit.is_valid(with_fee)

    with pytest.raises(InvalidQris, match="55-57"):
        read_payload(with_fee.dumps())


@pytest.mark.parametrize("amount", ["150000.00", "0150000", "0", "1.5E5"])
def test_amounts_other_than_whole_rupiah_are_refused(amount: str) -> None:
    changed = qriskit.parse(KNOWN_PAYLOAD).with_tag("54", amount).dumps()

    with pytest.raises(InvalidQris, match="amount"):
        read_payload(changed)


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        ("53", "840", "currency"),
        ("58", "SG", "country"),
        ("51.00", "ID.CO.QRIS.XXX", "tag 51"),
        ("51.02", "NOTANNMID", "tag 51"),
        ("62.01", "INV 2026", "bill number"),
    ],
)
def test_wrong_fields_are_refused(path: str, value: str, match: str) -> None:
    changed = qriskit.parse(KNOWN_PAYLOAD).with_tag(path, value).dumps()

    with pytest.raises(InvalidQris, match=match):
        read_payload(changed)


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        ("", "format indicator"),
        (KNOWN_PAYLOAD + "0", "tag and length"),
        (KNOWN_PAYLOAD[:-1], "bad length"),
        (" " + KNOWN_PAYLOAD, "tag and length"),
        (KNOWN_PAYLOAD.replace("PEMKOT", "PÉMKOT"), "ASCII"),
        (KNOWN_PAYLOAD.replace("5303360", "53 3360"), "tag and length"),
        (sealed("000201010212" + "5802ID" + "5303360"), "out of order"),
        (sealed("000201010212" + "5303360" + "5303360"), "repeated"),
        (sealed("000201010212" + "5300"), "bad length"),
        (sealed("000201010212") + "6402ID", "end with the CRC"),
        (sealed("000201010212" + "5303360" + "5802ID" + "540410005802ID"), "out of order"),
        (sealed(KNOWN_PAYLOAD[:-8].replace("0115INV", "0125INV")), "bad length"),
        (sealed("000201010212" + "5303360" + "54041000" + "5802ID"), "tag 51"),
    ],
)
def test_malformed_payloads_are_refused(payload: str, match: str) -> None:
    with pytest.raises(InvalidQris, match=match):
        read_payload(payload)


def test_invalid_qris_is_a_value_error() -> None:
    assert issubclass(InvalidQris, ValueError)


# Invalid inputs to the builder.


@pytest.mark.parametrize("amount", [0, -1, MAX_AMOUNT + 1, True])
def test_amount_must_be_whole_rupiah_that_fit(amount: int) -> None:
    with pytest.raises(ValueError, match="amount"):
        dynamic_payload(TANGERANG, amount=amount, bill_number="B1")


@pytest.mark.parametrize("bill_number", ["", "X" * 26, "INV 1", "INV#1", "NOMOR-É"])
def test_bill_number_must_be_short_and_plain(bill_number: str) -> None:
    with pytest.raises(ValueError, match="bill_number"):
        dynamic_payload(TANGERANG, amount=1, bill_number=bill_number)


@pytest.mark.parametrize("label", ["", "T" * 26, "LOKET 3"])
def test_terminal_label_must_be_short_and_plain(label: str) -> None:
    with pytest.raises(ValueError, match="terminal_label"):
        dynamic_payload(TANGERANG, amount=1, bill_number="B1", terminal_label=label)


# The merchant, as configured.


@pytest.mark.parametrize(
    ("given_name", "stored"),
    [
        ("Pemkot Tangerang", "PEMKOT TANGERANG"),
        ("  Kantin   Café\tBalai Kota ", "KANTIN CAFE BALAI KOTA"),
        ("Dinas Pendapatan Daérah", "DINAS PENDAPATAN DAERAH"),
        (
            "".join(chr(ord(c) + 0xFEE0) for c in "Kota"),
            "KOTA",
        ),  # full-width, as typed on some phones
    ],
)
def test_name_is_stored_as_the_qr_prints_it(given_name: str, stored: str) -> None:
    merchant = replace(TANGERANG, name=given_name)

    assert merchant.name == stored


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("name", "Badan Pendapatan Daerah Kota Tangerang", "at most 25"),
        ("name", "   ", "printable ASCII"),
        ("name", "唐格朗", "printable ASCII"),
        ("city", "Tangerang Selatan", "at most 15"),
        ("city", "Tangerang\u200b", "printable ASCII"),
        ("nmid", "ID102002118174", "nmid"),
        ("nmid", "1020021181745ID", "nmid"),
        ("acquirer_guid", "ID.CO.BANK DKI.WWW", "acquirer_guid"),
        ("acquirer_guid", "X" * 33, "acquirer_guid"),
        ("merchant_pan", "9360011A", "merchant_pan"),
        ("merchant_pan", "9" * 20, "merchant_pan"),
        ("merchant_id", "M" * 16, "merchant_id"),
        ("size_class", "UMKM", "size_class"),
        ("mcc", "939", "mcc"),
        ("mcc", "939A", "mcc"),
        ("postal_code", "1511", "postal_code"),
    ],
)
def test_merchant_refuses_what_a_qr_cannot_carry(field: str, value: str, match: str) -> None:
    changes: dict[str, Any] = {field: value}
    with pytest.raises(ValueError, match=match):
        replace(TANGERANG, **changes)
