"""The payment channels of each new invoice, as this city's configuration makes them."""

from payments.channels.qris import Merchant, dynamic_payload, read_payload
from payments.channels.virtual_accounts import va_number
from payments.config import PaymentsSettings
from payments.invoices.service import ChannelMaker, PaymentChannels


def channel_maker(settings: PaymentsSettings) -> ChannelMaker:
    """Checks the merchant configuration once, at start, and returns the channel factory."""
    merchant = Merchant(
        name=settings.qris_merchant_name,
        city=settings.qris_merchant_city,
        nmid=settings.qris_nmid,
        acquirer_guid=settings.qris_acquirer_guid,
        merchant_pan=settings.qris_merchant_pan,
        merchant_id=settings.qris_merchant_id,
        size_class=settings.qris_size_class,
        postal_code=settings.qris_postal_code,
    )

    def make(serial: int, number: str, amount: int) -> PaymentChannels:
        payload = dynamic_payload(merchant, amount=amount, bill_number=number)
        # Read back what a payer's app will read: a QR that charges another amount or names
        # another bill must never be handed out.
        read = read_payload(payload)
        if (read.amount, read.bill_number) != (amount, number):
            raise RuntimeError(f"QRIS payload for {number} does not read back as built")
        return PaymentChannels(
            va_number=va_number(settings.va_bank_prefix, serial), qris_payload=payload
        )

    return make
