"""Settings of the payments service (environment prefix ``PAYMENTS_``)."""

from pydantic_settings import SettingsConfigDict

from kota_shared.settings import ServiceSettings


class PaymentsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_")

    service_name: str = "payments"
