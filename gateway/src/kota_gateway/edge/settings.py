"""Settings of the edge: upstreams, their timeouts, retries and breakers, rate limits, the
body limit, CORS and the internal metrics listener (part of
`kota_gateway.config.GatewaySettings`, prefix ``GATEWAY_``)."""

from pydantic import BaseModel, Field, field_validator

from kota_contracts.services import SERVICES, local_suite_url

OWN_PREFIXES = frozenset({"auth", "me", "identity"})
"""``/v1/auth/...``, ``/v1/me/...`` and ``/v1/identity/...`` are the gateway's own operations."""


def registered_upstreams() -> dict[str, str]:
    """Every routed service of the registry, where the local suite (``kota up``) runs it."""
    return {service.name: local_suite_url(service) for service in SERVICES if service.routed}


class EdgeSettings(BaseModel):
    upstreams: dict[str, str] = Field(
        default=registered_upstreams(),
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

    upstream_connect_timeout_seconds: float = Field(default=1.0, gt=0)
    upstream_read_timeout_seconds: float = Field(default=30.0, gt=0)
    upstream_pool_size: int = Field(default=100, ge=1)

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

    # Rate limits per subject (see the ratelimit package).
    rate_limits_enabled: bool = Field(
        default=True, description="Turn every rate limit off (benchmarks, trusted networks)."
    )
    rate_limits: dict[str, str] = Field(
        # auth is per IP: many citizens share one carrier-NAT address, and guessing one
        # name is already stopped by the sign-in lockout (per name and address).
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
        "X-Forwarded-For is believed when finding the client's IP (for rate limits and the "
        "sign-in lockout). Empty: the connection's peer, whatever the headers say. The only "
        "rule that decides: uvicorn is started with --no-proxy-headers.",
    )

    # Request size and browsers.
    max_body_bytes: int = Field(
        default=10 * 1024 * 1024, ge=0, description="Largest request body accepted (413 above)."
    )
    metrics_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="Port of the internal listener that serves Prometheus /metrics (0: any "
        "free port). The public port never serves /metrics. Unset: not served.",
    )
    metrics_host: str = Field(
        default="127.0.0.1",
        description="Address the metrics listener binds: loopback, or 0.0.0.0 in a container "
        "whose metrics port is not published beyond the internal network.",
    )
    cors_origins: list[str] = Field(
        default=[],
        description="Origins allowed to call the API from a browser (JSON list; empty: none).",
    )
