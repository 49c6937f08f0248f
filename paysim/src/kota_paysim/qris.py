"""Read what a QRIS payload asks to be paid: the amount (tag 54) and the bill number (62.01).

qriskit checks the structure, the CRC and the QRIS rules, so the simulator refuses what a
real acquirer would refuse instead of paying a corrupted code.
"""

from dataclasses import dataclass

import qriskit


class InvalidQris(ValueError):
    """The payload is not a QRIS this simulator can pay; the message says why."""


@dataclass(frozen=True)
class QrisCharge:
    amount: int
    reference: str


def read_charge(payload: str) -> QrisCharge:
    try:
        qris = qriskit.parse(payload, strict=True)
    except qriskit.QRISError as exc:
        raise InvalidQris(str(exc)) from exc
    amount = qris.amount
    if amount is None:
        raise InvalidQris("the QRIS has no amount (tag 54): a static QRIS cannot be paid here")
    if amount != amount.to_integral_value():
        raise InvalidQris(f"the amount {amount} is not whole rupiah")
    reference = qris.additional_data.bill_number
    if reference is None:
        raise InvalidQris("the QRIS has no bill number (tag 62, sub-tag 01)")
    return QrisCharge(amount=int(amount), reference=reference)
