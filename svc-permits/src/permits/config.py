"""Settings of the permits service (environment prefix ``PERMITS_``)."""

from pydantic_settings import SettingsConfigDict

from kota_shared.settings import ServiceSettings


class PermitsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PERMITS_")

    service_name: str = "permits"
