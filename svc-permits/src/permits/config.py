"""Settings of the permits service (environment prefix ``PERMITS_``)."""

from datetime import date

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from kota_shared.settings import ServiceSettings

KOTA_TANGERANG = "3671"
"""The BPS code of Kota Tangerang, the city a deployment serves unless configured otherwise."""


class PermitsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PERMITS_")

    service_name: str = "permits"
    city_code: str = Field(default=KOTA_TANGERANG, pattern=r"^\d{4}$")
    """The city's BPS code (3671: Kota Tangerang); it is part of every permit number."""
    public_base_url: str = "http://127.0.0.1:8000"
    """Where citizens reach the API (the gateway); printed in verification links and QR codes."""
    verification_secrets: list[SecretStr] = Field(min_length=1)
    """Secrets signing permits' verification codes: the first signs, all verify (rotation).

    Required: a default secret would let anyone forge a verifiable permit.
    """
    extra_holidays: list[date] = Field(default_factory=list)
    """The city's days off beyond the national holidays (cuti bersama, local holidays)."""
    deadline_sweep_seconds: float = Field(default=60.0, gt=0)
    documents_location: str = "var/permits-documents"
    """A local folder, or ``s3://bucket`` for S3-compatible storage (then the S3 settings)."""
    documents_s3_endpoint_url: str | None = None
    documents_s3_region: str = "us-east-1"
    documents_s3_access_key_id: SecretStr | None = None
    documents_s3_secret_access_key: SecretStr | None = None
    document_max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    """Ceiling for any upload; a permit type may set a lower one per document."""
