"""Reading a QRIS to pay: payloads built here by hand, so the simulator is not checked against
the library that generated them; qriskit cross-checks that the hand-built ones are valid."""

import binascii

import pytest
import qriskit

from kota_paysim.qris import InvalidQris, QrisCharge, read_charge


def tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def with_crc(body: str) -> str:
    """Append tag 63: CRC-16/CCITT-FALSE over everything before it, ``6304`` included."""
    signed = body + "6304"
    return signed + format(binascii.crc_hqx(signed.encode(), 0xFFFF), "04X")


def qris_body(*, amount: str | None = "150000", bill_number: str | None = "INV-2025-000123") -> str:
    national = tlv("00", "ID.CO.QRIS.WWW") + tlv("02", "ID1020012345678") + tlv("03", "UBE")
    return (
        tlv("00", "01")
        + tlv("01", "12" if amount else "11")
        + tlv("51", national)
        + tlv("52", "9311")
        + tlv("53", "360")
        + (tlv("54", amount) if amount else "")
        + tlv("58", "ID")
        + tlv("59", "PEMKOT CONTOH")
        + tlv("60", "BANDUNG")
        + tlv("61", "40111")
        + (tlv("62", tlv("01", bill_number) + tlv("07", "LOKET01")) if bill_number else "")
    )


def test_reads_the_amount_from_tag_54_and_the_reference_from_62_01() -> None:
    payload = with_crc(qris_body(amount="150000", bill_number="INV-2025-000123"))
    assert qriskit.is_valid(payload)

    assert read_charge(payload) == QrisCharge(amount=150000, reference="INV-2025-000123")


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (with_crc(qris_body())[:-4] + "0000", "CRC"),
        (with_crc(qris_body()).replace("PEMKOT CONTOH", "PEMKOT CONTOX"), "CRC"),
        (with_crc(qris_body(amount=None)), "no amount"),
        (with_crc(qris_body(amount="150000.50")), "not whole rupiah"),
        (with_crc(qris_body(bill_number=None)), "no bill number"),
        (with_crc(qris_body())[:40], None),
        ("not a qris at all", None),
    ],
    ids=["crc-digits", "crc-tampered", "static", "cents", "no-bill", "truncated", "garbage"],
)
def test_refuses_what_an_acquirer_would_refuse(payload: str, reason: str | None) -> None:
    with pytest.raises(InvalidQris, match=reason):
        read_charge(payload)
