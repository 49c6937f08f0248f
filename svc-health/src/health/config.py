"""Settings of the health service (environment prefix ``HEALTH_``)."""

from pydantic_settings import SettingsConfigDict

from kota_shared.settings import ServiceSettings


class HealthSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HEALTH_")

    service_name: str = "health"
