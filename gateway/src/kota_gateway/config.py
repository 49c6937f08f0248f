"""Settings of the gateway (environment prefix ``GATEWAY_``)."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kota_gateway.overview import DEFAULT_SECTIONS, OverviewSection
from kota_shared.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_")

    service_name: str = "gateway"
    upstreams: dict[str, str] = Field(
        default={
            "permits": "http://127.0.0.1:8001",
            "health": "http://127.0.0.1:8002",
            "education": "http://127.0.0.1:8003",
            "payments": "http://127.0.0.1:8004",
            "monitoring": "http://127.0.0.1:8005",
        },
        description="Service name → internal base URL; `/v1/<name>/...` is routed there.",
    )
    signing_key_dir: Path = Field(
        default=Path(".kota/run/gateway-keys"),
        description="Where the token signing keys live (private: keep it on a secret volume).",
    )
    upstream_connect_timeout_seconds: float = Field(default=1.0, gt=0)
    upstream_read_timeout_seconds: float = Field(default=30.0, gt=0)
    upstream_pool_size: int = Field(default=100, ge=1)
    openapi_refresh_seconds: float = Field(
        default=60, gt=0, description="How often each service's OpenAPI document is re-read."
    )
    overview_sections: dict[str, OverviewSection] = Field(
        default=DEFAULT_SECTIONS, description="The sections of GET /v1/me/overview."
    )
    overview_timeout_seconds: float = Field(
        default=2.0, gt=0, description="A section slower than this is marked unavailable."
    )
