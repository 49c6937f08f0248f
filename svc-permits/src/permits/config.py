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
    max_open_drafts: int = Field(default=5, gt=0)
    """How many applications one applicant account may hold in draft at once.

    Starting one more is a 409 ``too_many_drafts`` until a draft is submitted or withdrawn
    (``POST /v1/permits/applications/{id}/cancel``): without a bound, one account could
    start drafts, and store documents on them, without end.
    """
    max_documents_per_application: int = Field(default=20, gt=0)
    """How many documents one application may hold; the next upload is a 409
    ``too_many_documents`` until one is removed."""
    max_document_bytes_per_account: int = Field(default=200 * 1024 * 1024, gt=0)
    """How many bytes of documents one applicant account may have stored, over all its
    applications (decided and withdrawn ones included: their files stay stored). An upload
    that would pass it is a 413 ``document_storage_full``."""
