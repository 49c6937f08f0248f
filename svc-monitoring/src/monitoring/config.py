"""Settings of the monitoring service (environment prefix ``MONITORING_``)."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kota_contracts.services import declared
from kota_shared.events.published_schemas import REPOSITORY_CATALOGUE
from kota_shared.settings import ServiceSettings


class MonitoringSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MONITORING_")

    service_name: str = "monitoring"
    watched_topics: list[str] = Field(
        default=list(declared("monitoring").consumes),
        description="Every topic whose events feed the read models (by default, those the "
        "service registry says monitoring consumes).",
    )
    event_schemas_dir: Path = Field(
        default=REPOSITORY_CATALOGUE,
        description="The published event schemas (`<type>.json`) that other services' events "
        "are held to, since monitoring has none of their models; an event of a type with no "
        "schema here, or whose data breaks it, is dead-lettered and not counted. The default "
        "is the repository's `schemas/events`, for running from a checkout; a deployment sets "
        "MONITORING_EVENT_SCHEMAS_DIR to where its image ships them.",
    )
