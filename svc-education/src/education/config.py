"""Settings of the education service (environment prefix ``EDUCATION_``)."""

from pydantic_settings import SettingsConfigDict

from kota_shared.settings import ServiceSettings


class EducationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCATION_")

    service_name: str = "education"
