"""Settings of the monitoring service (environment prefix ``MONITORING_``)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kota_shared.settings import ServiceSettings


class MonitoringSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MONITORING_")

    service_name: str = "monitoring"
    watched_topics: list[str] = Field(
        default=[
            "identity.events",
            "permits.events",
            "payments.events",
            "health.events",
            "education.events",
        ],
        description="Every topic whose events feed the read models.",
    )
