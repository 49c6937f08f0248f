"""Settings of the health service (environment prefix ``HEALTH_``)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kota_shared.settings import ServiceSettings


class HealthSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HEALTH_")

    service_name: str = "health"
    booking_horizon_days: int = Field(default=14, ge=0, le=366)
    """How many days ahead a visit may be booked (0: only today). Puskesmas publish their
    schedules a couple of weeks out; further ahead, bookings are mostly forgotten."""
