"""The payment channels of each new invoice, as this city's configuration makes them."""

from collections.abc import Callable
from dataclasses import dataclass

from payments.channels.qris import Merchant, dynamic_payload, read_payload
from payments.channels.virtual_accounts import va_number


@dataclass(frozen=True)
class PaymentChannels:
    va_number: str
    qris_payload: str


ChannelMaker = Callable[[int, str, int], PaymentChannels]
"""(invoice serial, invoice number, amount) → its virtual account and QRIS payload."""


def channel_maker(merchant: Merchant, *, va_bank_prefix: str) -> ChannelMaker:
    """The channel factory for the city's ``merchant`` and collecting bank."""

    def make(serial: int, number: str, amount: int) -> PaymentChannels:
        payload = dynamic_payload(merchant, amount=amount, bill_number=number)
        # Read back what a payer's app will read: a QR that charges another amount or names
        # another bill must never be handed out.
        read = read_payload(payload)
        if (read.amount, read.bill_number) != (amount, number):
            raise RuntimeError(f"QRIS payload for {number} does not read back as built")
        return PaymentChannels(va_number=va_number(va_bank_prefix, serial), qris_payload=payload)

    return make
