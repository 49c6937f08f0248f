"""Settings of the education service (environment prefix ``EDUCATION_``)."""

from datetime import date, datetime

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from education.admission.period import AdmissionPeriod, configured_period
from kota_shared.clock import local_date
from kota_shared.settings import ServiceSettings


class EducationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EDUCATION_")

    service_name: str = "education"

    # The admission (SPMB) period. Each value left unset has a default that keeps a
    # development suite open for registration for the coming school year (see
    # `education.admission.period.configured_period`); a city sets all four for real.
    admission_year: int | None = Field(default=None, ge=2000, le=2100)
    """The year the admitted pupils start school (1 July of it begins the school year)."""
    registration_opens_on: date | None = None
    """The first day parents may register (local date)."""
    registration_closes_on: date | None = None
    """The last day parents may register or withdraw (local date, inclusive)."""
    age_reference_date: date | None = None
    """The day children's ages are counted at; by default 1 July of the admission year."""

    family_card_url: str = "http://127.0.0.1:8000/v1/me/family-card"
    """The gateway's ``GET /v1/me/family-card``, called with the parent's own token."""
    family_card_timeout_seconds: float = Field(default=10, gt=0, le=60)
    """Longer than the gateway's own wait on the civil registry, so its 503 reaches us."""
    max_active_registrations_per_family_card: int = Field(default=4, ge=1, le=20)
    """Active registrations of one family card in one admission year: each child once, and
    no more than this many children of one card."""

    def admission_period(self, *, now: datetime) -> AdmissionPeriod:
        """The period these settings describe, defaults resolved against ``now``'s local date."""
        return configured_period(
            today=local_date(now, self.timezone),
            timezone=self.timezone,
            year=self.admission_year,
            opens_on=self.registration_opens_on,
            closes_on=self.registration_closes_on,
            age_reference_date=self.age_reference_date,
        )
