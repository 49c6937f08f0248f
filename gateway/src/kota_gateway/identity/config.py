"""What the identity provider needs at every request, built once at start from its settings."""

from dataclasses import dataclass
from datetime import timedelta

from kota_gateway.identity.accounts.lockout import LockoutPolicy
from kota_gateway.identity.passwords import Passwords
from kota_gateway.identity.settings import IdentitySettings


@dataclass(frozen=True)
class IdentityConfig:
    """The tokens' issuer, audience and lifetimes, the lockout rule, the hasher, and the
    scopes an agency client may be granted."""

    issuer: str
    audience: str
    access_ttl: timedelta
    refresh_ttl: timedelta
    lockout: LockoutPolicy
    passwords: Passwords
    """Hashes and checks account passwords and agency clients' secrets alike."""
    agency_client_scopes: tuple[str, ...]

    @classmethod
    def from_settings(
        cls,
        settings: IdentitySettings,
        *,
        issuer: str,
        audience: str,
        passwords: Passwords | None = None,
    ) -> "IdentityConfig":
        """``issuer`` and ``audience`` are every service's settings (`ServiceSettings`)."""
        return cls(
            issuer=issuer,
            audience=audience,
            access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
            refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
            lockout=LockoutPolicy(
                max_failures=settings.login_max_failures,
                base_seconds=settings.login_lockout_base_seconds,
                max_seconds=settings.login_lockout_max_seconds,
            ),
            passwords=passwords or Passwords(),
            agency_client_scopes=tuple(settings.agency_client_scopes),
        )
