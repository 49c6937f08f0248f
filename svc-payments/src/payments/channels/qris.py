"""Dynamic QRIS payloads: the one-off QR a citizen scans to pay one invoice, and its reader.

QRIS is EMVCo Merchant-Presented Mode: ``tag(2) length(2) value`` fields in ascending tag
order, closed by a CRC-16/CCITT-FALSE in tag 63. Payloads here are ASCII only, so lengths
count characters and bytes alike (the CRC runs over bytes).
"""

import binascii
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal, get_args

SizeClass = Literal["UMI", "UKE", "UME", "UBE", "URE"]
"""The merchant's criteria in the national repository: micro, small, medium, large, regular."""

GOVERNMENT_SERVICES_MCC = "9399"
"""Government services not elsewhere classified: what a city's own fees and taxes use."""

NATIONAL_GUID = "ID.CO.QRIS.WWW"
MAX_AMOUNT = 9_999_999_999_999
"""Tag 54 holds at most 13 characters; whole rupiah have no decimals."""

_LABEL = re.compile(r"[A-Za-z0-9./_-]{1,25}")
"""Bill numbers and terminal labels: characters every wallet shows and reads back unchanged."""
_NMID = re.compile(r"ID[0-9]{13}")
_PAN = re.compile(r"[0-9]{8,19}")
"""The acquirer's 8-digit NNS, then its own merchant number: 19 digits at most (EMVCo)."""
_GUID = re.compile(r"[!-~]{1,32}")
_MERCHANT_ID = re.compile(r"[!-~]{1,15}")
_MCC = re.compile(r"[0-9]{4}")
_POSTAL_CODE = re.compile(r"[0-9]{5}")
_AMOUNT = re.compile(r"[1-9][0-9]{0,12}")
_HEAD = re.compile(r"[0-9]{4}")
_TIP_TAGS = ("55", "56", "57")


class InvalidQris(ValueError):
    """A payload that is not a well-formed dynamic QRIS of ours: never trust what it says."""


@dataclass(frozen=True)
class Merchant:
    """The city's QRIS merchant, from configuration; checked once, when it is built.

    ``name`` and ``city`` are stored as the QR will carry them: accents stripped (``é`` → ``E``),
    upper case, runs of whitespace made one space. What is then still outside printable ASCII,
    or longer than the 25 (name) or 15 (city) characters EMVCo allows, is refused rather than
    cut, because a truncated official name is a decision for whoever configures it.
    """

    name: str
    city: str
    nmid: str
    """The National Merchant ID from the QRIS repository, e.g. ``ID1020021181745``."""
    acquirer_guid: str
    """Tag 26 sub-tag 00: the acquirer's reverse-domain id, e.g. ``ID.CO.BANKDKI.WWW``."""
    merchant_pan: str
    merchant_id: str
    """Tag 26 sub-tag 02: the acquirer's merchant id (MID), up to 15 characters."""
    size_class: SizeClass
    mcc: str = GOVERNMENT_SERVICES_MCC
    postal_code: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _printable(self.name, field="name", max_len=25))
        object.__setattr__(self, "city", _printable(self.city, field="city", max_len=15))
        _require(_NMID, self.nmid, "nmid must be 'ID' and 13 digits")
        _require(_GUID, self.acquirer_guid, "acquirer_guid must be 1-32 ASCII, no spaces")
        _require(_PAN, self.merchant_pan, "merchant_pan must be 8-19 digits")
        _require(_MERCHANT_ID, self.merchant_id, "merchant_id must be 1-15 ASCII, no spaces")
        if self.size_class not in get_args(SizeClass):
            raise ValueError(f"size_class must be one of {get_args(SizeClass)}")
        _require(_MCC, self.mcc, "mcc must be 4 digits")
        if self.postal_code is not None:
            _require(_POSTAL_CODE, self.postal_code, "postal_code must be 5 digits")


@dataclass(frozen=True)
class QrisPayment:
    """What a dynamic QRIS asks to be paid, as read back from its payload."""

    amount: int
    bill_number: str
    nmid: str


def dynamic_payload(
    merchant: Merchant, *, amount: int, bill_number: str, terminal_label: str | None = None
) -> str:
    """The payload of a QR valid for one payment of ``amount`` rupiah towards ``bill_number``.

    Raises ``ValueError`` for an amount outside 1..9,999,999,999,999 or a bill number or
    terminal label that is not 1-25 of ``A-Z a-z 0-9 . / _ -``.
    """
    if isinstance(amount, bool) or not 0 < amount <= MAX_AMOUNT:
        raise ValueError(f"amount must be whole rupiah from 1 to {MAX_AMOUNT}, got {amount!r}")
    _require(_LABEL, bill_number, "bill_number must be 1-25 of A-Z a-z 0-9 . / _ -")
    additional = _tlv("01", bill_number)
    if terminal_label is not None:
        _require(_LABEL, terminal_label, "terminal_label must be 1-25 of A-Z a-z 0-9 . / _ -")
        additional += _tlv("07", terminal_label)
    acquirer = (
        _tlv("00", merchant.acquirer_guid)
        + _tlv("01", merchant.merchant_pan)
        + _tlv("02", merchant.merchant_id)
        + _tlv("03", merchant.size_class)
    )
    national = (
        _tlv("00", NATIONAL_GUID) + _tlv("02", merchant.nmid) + _tlv("03", merchant.size_class)
    )
    body = "".join(
        (
            _tlv("00", "01"),
            _tlv("01", "12"),
            _tlv("26", acquirer),
            _tlv("51", national),
            _tlv("52", merchant.mcc),
            _tlv("53", "360"),
            _tlv("54", str(amount)),
            _tlv("58", "ID"),
            _tlv("59", merchant.name),
            _tlv("60", merchant.city),
            _tlv("61", merchant.postal_code) if merchant.postal_code is not None else "",
            _tlv("62", additional),
            "6304",
        )
    )
    return body + _crc16(body)


def read_payload(payload: str) -> QrisPayment:
    """Read back a dynamic QRIS as this module writes it, refusing anything else.

    Strict on purpose (it checks what a payer's app says was paid): ASCII only, tags in
    ascending order at every level, the CRC in upper case and matching, dynamic only, amount
    in whole rupiah, and no tip or convenience fee (tags 55-57), which would change what is
    paid. Raises ``InvalidQris``.
    """
    if not payload.isascii():
        raise InvalidQris("payload must be ASCII")
    fields = _decode(payload)
    # Tags ascend, so 00 is first and 63 last whenever they are present.
    if fields.get("00") != "01":
        raise InvalidQris("payload must start with format indicator 000201")
    if next(reversed(fields)) != "63" or len(fields["63"]) != 4:
        raise InvalidQris("payload must end with the CRC, tag 63 of length 04")
    expected = _crc16(payload[:-4])
    if fields["63"] != expected:
        raise InvalidQris(f"CRC {fields['63']!r} does not match the payload's {expected}")
    if fields.get("01") != "12":
        raise InvalidQris("not a dynamic QRIS (tag 01 must be 12)")
    if fields.get("53") != "360" or fields.get("58") != "ID":
        raise InvalidQris("currency must be 360 (IDR) and country ID")
    if any(tag in fields for tag in _TIP_TAGS):
        raise InvalidQris("tips and convenience fees (tags 55-57) are not accepted")
    amount = fields.get("54", "")
    if not _AMOUNT.fullmatch(amount):
        raise InvalidQris(f"amount {amount!r} must be whole rupiah without leading zeros")
    national = _decode(fields.get("51", ""))
    if national.get("00") != NATIONAL_GUID or not _NMID.fullmatch(national.get("02", "")):
        raise InvalidQris(f"tag 51 must hold {NATIONAL_GUID} and an NMID")
    bill_number = _decode(fields.get("62", "")).get("01", "")
    if not _LABEL.fullmatch(bill_number):
        raise InvalidQris(f"bill number {bill_number!r} is missing or malformed")
    return QrisPayment(amount=int(amount), bill_number=bill_number, nmid=national["02"])


def _crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of ``data`` as 4 upper-case hex digits."""
    return format(binascii.crc_hqx(data.encode("ascii"), 0xFFFF), "04X")


def _tlv(tag: str, value: str) -> str:
    if not 0 < len(value) <= 99:
        raise ValueError(f"tag {tag} must hold 1-99 characters, got {len(value)}")
    return f"{tag}{len(value):02d}{value}"


def _decode(data: str) -> dict[str, str]:
    """Split TLV text into tag → value, tags strictly ascending (so none repeats)."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(data):
        head = data[position : position + 4]
        if not _HEAD.fullmatch(head):
            raise InvalidQris(f"expected 2-digit tag and length at {position}, got {head!r}")
        tag, length = head[:2], int(head[2:])
        end = position + 4 + length
        if length == 0 or end > len(data):
            raise InvalidQris(f"tag {tag} at {position} has a bad length {length:02d}")
        if fields and tag <= next(reversed(fields)):
            raise InvalidQris(f"tag {tag} at {position} is repeated or out of order")
        fields[tag] = data[position + 4 : end]
        position = end
    return fields


def _printable(text: str, *, field: str, max_len: int) -> str:
    """``text`` as the QR prints it: accents stripped, upper case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    result = " ".join(bare.upper().split())
    if not result or not all(" " <= c <= "~" for c in result):
        raise ValueError(f"{field} {text!r} must be printable ASCII once accents are stripped")
    if len(result) > max_len:
        raise ValueError(f"{field} {result!r} is {len(result)} characters; at most {max_len}")
    return result


def _require(pattern: re.Pattern[str], value: str, message: str) -> None:
    if not pattern.fullmatch(value):
        raise ValueError(f"{message}, got {value!r}")
