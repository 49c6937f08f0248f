"""Settings of the gateway (environment prefix ``GATEWAY_``)."""

from pathlib import Path

from kota_contracts.access import Scope
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from kota_gateway.overview import DEFAULT_SECTIONS, OverviewSection
from kota_shared.settings import ServiceSettings

OWN_PREFIXES = frozenset({"auth", "me"})
"""``/v1/auth/...`` and ``/v1/me/...`` are the gateway's own operations."""


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

    @field_validator("upstreams")
    @classmethod
    def _no_upstream_hides_our_own_routes(cls, upstreams: dict[str, str]) -> dict[str, str]:
        """The proxy answers ``/v1/<name>/...`` before the gateway's routes are looked at."""
        taken = sorted(OWN_PREFIXES.intersection(upstreams))
        if taken:
            raise ValueError(f"{', '.join(taken)}: the gateway's own /v1/ paths, not upstreams")
        return upstreams

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

    # Identity: tokens, sign-in protection and the first administrator.
    access_token_ttl_seconds: int = Field(
        default=900, ge=60, le=3600, description="Lifetime of an access token (15 minutes)."
    )
    refresh_token_ttl_seconds: int = Field(
        default=30 * 24 * 3600, ge=300, description="Lifetime of a refresh token (30 days)."
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="Consecutive failed sign-ins before an account is locked."
    )
    login_lockout_base_seconds: float = Field(
        default=30, gt=0, description="First lock's length; each further failure doubles it."
    )
    login_lockout_max_seconds: float = Field(
        default=900, gt=0, description="Longest lock (15 minutes)."
    )
    first_admin_username: str | None = Field(
        default=None,
        description="Creates this city admin at start when no account has the name (idempotent).",
    )
    first_admin_password: SecretStr | None = Field(
        default=None, description="The first admin's initial password (change it after use)."
    )
    first_admin_full_name: str = "City administrator"

    # Routing resilience: retries, circuit breakers (see proxy.py and breaker.py).
    upstream_retries: int = Field(
        default=1,
        ge=0,
        le=2,
        description="Retries of an idempotent request whose connection was refused or reset.",
    )
    upstream_retry_backoff_seconds: float = Field(
        default=0.05, ge=0, description="Base pause before a retry (doubled each time, jittered)."
    )
    upstream_retry_buffer_bytes: int = Field(
        default=64 * 1024,
        ge=0,
        description="Idempotent requests with a body up to this size are buffered so they can be "
        "retried; larger bodies are streamed and never retried.",
    )
    circuit_failure_threshold: int = Field(
        default=5,
        ge=1,
        description="Consecutive failures (no connection, timeout, 502/503/504) that open an "
        "upstream's circuit.",
    )
    circuit_open_seconds: float = Field(
        default=10, gt=0, description="How long an open circuit fails fast before one probe."
    )

    # Rate limits per subject (see ratelimit.py).
    rate_limits_enabled: bool = Field(
        default=True, description="Turn every rate limit off (benchmarks, trusted networks)."
    )
    rate_limits: dict[str, str] = Field(
        # auth is per IP: many citizens share one carrier-NAT address, and guessing one
        # account is already stopped by the per-account lockout.
        default={"auth": "60/minute", "read": "300/minute", "write": "60/minute"},
        description="Route class → limits in `limits` notation ('10/minute', several joined by "
        "';'). Classes: auth (/v1/auth/*, per client IP), read (GET/HEAD/OPTIONS), write (others). "
        "A class left out is unlimited.",
    )
    rate_limit_strategy: str = Field(
        default="sliding-window-counter",
        pattern="^(sliding-window-counter|moving-window|fixed-window)$",
        description="The `limits` algorithm.",
    )
    redis_url: str | None = Field(
        default=None,
        description="redis://host:port/db: share rate limits between gateway replicas. Unset: "
        "limits are kept in this process.",
    )
    trusted_proxies: list[str] = Field(
        default=[],
        description="Addresses or networks (CIDR) of proxies in front of the gateway whose "
        "X-Forwarded-For is believed when finding the client's IP.",
    )

    # The edge: request size and browsers.
    max_body_bytes: int = Field(
        default=10 * 1024 * 1024, ge=0, description="Largest request body accepted (413 above)."
    )
    cors_origins: list[str] = Field(
        default=[],
        description="Origins allowed to call the API from a browser (JSON list; empty: none).",
    )

    # Agency clients (OAuth2 client credentials, see clients/).
    agency_client_scopes: list[str] = Field(
        default=[scope.value for scope in Scope],
        description="The scopes a city admin may grant to an agency client.",
    )
