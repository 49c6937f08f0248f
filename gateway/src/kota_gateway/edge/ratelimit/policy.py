"""What is limited: the route classes a request spends its budget in, the configured
limits per class, and a limit's verdict with the ``RateLimit-*`` headers that tell it."""

from collections.abc import Mapping
from dataclasses import dataclass

from limits import RateLimitItem, parse_many

ROUTE_CLASSES = frozenset({"auth", "read", "write"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def route_class(method: str, path: str) -> str | None:
    """Which budget a request spends, or None for routes that are never limited."""
    if not path.startswith("/v1/"):
        return None
    if path.startswith("/v1/auth/") or path == "/v1/auth":
        return "auth"
    return "read" if method in READ_METHODS else "write"


def parse_limits(specs: Mapping[str, str]) -> dict[str, list[RateLimitItem]]:
    """``{"read": "300/minute"}`` → parsed limits; raises ValueError naming the bad entry."""
    parsed: dict[str, list[RateLimitItem]] = {}
    for name, spec in specs.items():
        if name not in ROUTE_CLASSES:
            raise ValueError(
                f"GATEWAY_RATE_LIMITS: unknown route class {name!r} "
                f"(known: {', '.join(sorted(ROUTE_CLASSES))})"
            )
        try:
            parsed[name] = parse_many(spec)
        except ValueError as exc:
            raise ValueError(f"GATEWAY_RATE_LIMITS[{name!r}]: {exc}") from exc
    return parsed


@dataclass(frozen=True)
class Decision:
    """One limit's verdict and what the caller is told about it."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    window_seconds: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(self.reset_seconds).encode()),
            (b"ratelimit-policy", f"{self.limit};w={self.window_seconds}".encode()),
        ]
