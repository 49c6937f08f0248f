"""Settings of the payments service (environment prefix ``PAYMENTS_``)."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from kota_shared.settings import ServiceSettings
from payments.channels.qris import Merchant, SizeClass


class PaymentsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_")

    service_name: str = "payments"
    callback_secrets: list[SecretStr] = Field(min_length=1)
    """Standard Webhooks secrets (``whsec_...``) the provider signs callbacks with; several
    during a rotation. Required: without one, anyone could report a payment."""
    va_bank_prefix: str = Field(default="88908", pattern=r"^[0-9]{3,8}$")
    """The collecting bank's company code in front of every virtual account number."""
    # The city's QRIS merchant registration. Placeholders until the acquiring bank assigns
    # real ones; a payload with them is well-formed but pays no real account.
    qris_merchant_name: str = "PEMKOT TANGERANG"
    qris_merchant_city: str = "TANGERANG"
    qris_nmid: str = "ID1026000000001"
    qris_acquirer_guid: str = "ID.CO.BANKBJB.WWW"
    qris_merchant_pan: str = "9360011000000000001"
    qris_merchant_id: str = "KOTATNG00001"
    qris_size_class: SizeClass = "UBE"
    qris_postal_code: str | None = "15111"
    va_fee_rupiah: int = Field(default=0, ge=0)
    """What the bank keeps per virtual-account payment (posted to provider_fees). QRIS
    payments to government carry a 0% merchant fee, so QRIS has none."""
    invoice_due_days: int = Field(default=7, ge=1, le=90)
    """How long a citizen has to pay an invoice opened from another service's event."""
    expiry_sweep_seconds: float = Field(default=60.0, gt=0)

    def qris_merchant(self) -> Merchant:
        """The city's QRIS merchant; raises ``ValueError`` for a malformed registration."""
        return Merchant(
            name=self.qris_merchant_name,
            city=self.qris_merchant_city,
            nmid=self.qris_nmid,
            acquirer_guid=self.qris_acquirer_guid,
            merchant_pan=self.qris_merchant_pan,
            merchant_id=self.qris_merchant_id,
            size_class=self.qris_size_class,
            postal_code=self.qris_postal_code,
        )
