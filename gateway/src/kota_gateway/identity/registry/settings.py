"""Settings of the civil-registry adapter (part of `kota_gateway.config.GatewaySettings`,
prefix ``GATEWAY_``): where Dukcapil's web service is, the city's agency account there, and
the daily quota the agreement grants it."""

from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, SecretStr


class RegistrySettings(BaseModel):
    registry_url: str | None = Field(
        default=None,
        description="Base URL of Dukcapil's web service for agencies (the simulator locally). "
        "Unset: every call answers `registry_unavailable`, so nobody is registered unverified.",
    )
    registry_institution: str = Field(
        default="PEMKOT_TANGERANG", description="The agency's name in the service's paths."
    )
    registry_user_id: str = Field(default="", description="The agency account's USER_ID.")
    registry_password: SecretStr = Field(
        default=SecretStr(""), description="The agency account's PASSWORD (keep it secret)."
    )
    registry_ip_user: str = Field(
        default="127.0.0.1",
        description="IP_USER: the address the agreement registered for this gateway.",
    )
    registry_name_threshold: int = Field(
        default=90, ge=50, le=100, description="TRESHOLD: the name similarity that matches."
    )
    registry_timeout_seconds: float = Field(
        default=5, gt=0, le=60, description="A call slower than this is `registry_unavailable`."
    )
    registry_daily_quota: int = Field(
        default=10_000,
        ge=1,
        description="Calls per city day the agreement grants; counted here before each call, "
        "so the gateway refuses clearly instead of spending the last ones blindly.",
    )
    registry_timezone: ZoneInfo = Field(
        default=ZoneInfo("Asia/Jakarta"), description="Whose midnight starts a quota day."
    )
