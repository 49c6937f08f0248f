"""What the identity provider needs at every request, built once at start from its settings."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from starlette.requests import Request

from kota_gateway.edge.ratelimit.client_ip import TrustedProxies
from kota_gateway.identity.accounts.lockout import LockoutPolicy
from kota_gateway.identity.passwords import Passwords
from kota_gateway.identity.settings import IdentitySettings


@dataclass(frozen=True)
class IdentityConfig:
    """The tokens' issuer, audience and lifetimes, the lockout rule, the hasher, the
    scopes an agency client may be granted, and the proxies whose ``X-Forwarded-For`` tells
    a caller's address (the edge's ``GATEWAY_TRUSTED_PROXIES``)."""

    issuer: str
    audience: str
    access_ttl: timedelta
    refresh_ttl: timedelta
    lockout: LockoutPolicy
    passwords: Passwords
    """Hashes and checks account passwords and agency clients' secrets alike."""
    agency_client_scopes: tuple[str, ...]
    proxies: TrustedProxies = field(default_factory=lambda: TrustedProxies(()))

    def client_address(self, request: Request) -> str:
        """The caller's address, as the edge's rate limits see it (never uvicorn's idea)."""
        peer = request.client.host if request.client else None
        return self.proxies.client_ip(peer, request.headers.getlist("x-forwarded-for"))

    @classmethod
    def from_settings(
        cls,
        settings: IdentitySettings,
        *,
        issuer: str,
        audience: str,
        passwords: Passwords | None = None,
        trusted_proxies: Sequence[str] = (),
    ) -> "IdentityConfig":
        """``issuer`` and ``audience`` are every service's settings (`ServiceSettings`),
        ``trusted_proxies`` the edge's (`EdgeSettings`)."""
        return cls(
            issuer=issuer,
            audience=audience,
            access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
            refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
            lockout=LockoutPolicy(
                max_failures=settings.login_max_failures,
                base_seconds=settings.login_lockout_base_seconds,
                max_seconds=settings.login_lockout_max_seconds,
                name_ceiling=settings.login_name_ceiling,
                window=timedelta(seconds=settings.login_failure_window_seconds),
            ),
            passwords=passwords or Passwords(),
            agency_client_scopes=tuple(settings.agency_client_scopes),
            proxies=TrustedProxies(trusted_proxies),
        )
