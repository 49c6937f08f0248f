"""Settings of the health service (environment prefix ``HEALTH_``)."""

from datetime import time

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from kota_shared.settings import ServiceSettings


class HealthSettings(ServiceSettings):
    """The booking rules a city sets; ``HEALTH_TIMEZONE`` (every service's ``timezone``)
    decides what "today" and the opening hour mean."""

    model_config = SettingsConfigDict(env_prefix="HEALTH_")

    service_name: str = "health"
    booking_horizon_days: int = Field(default=14, ge=0, le=366)
    """How many days ahead a visit may be booked (0: only today). Puskesmas publish their
    schedules a couple of weeks out; further ahead, bookings are mostly forgotten."""
    booking_opens_at: time = Field(
        default=time(7, 0),
        description="The hour (city time, HH:MM) at which a day opens for booking, "
        "`booking_horizon_days` before it: one day opens at a time, at a known hour, so "
        "nobody can take the whole window the moment it is published.",
    )
    max_active_bookings: int = Field(
        default=3,
        ge=1,
        le=100,
        description="How many active bookings (booked, visiting today or later) one citizen "
        "may hold at once, across every facility and service.",
    )

    @field_validator("booking_opens_at")
    @classmethod
    def _city_time(cls, value: time) -> time:
        # The hour is on the city's clock (`timezone`); an offset here would contradict it.
        if value.tzinfo is not None:
            raise ValueError("booking_opens_at is city time: give it without an offset")
        return value
