"""Settings of the identity provider: signing keys, token lifetimes, sign-in lockout, the
first administrator and agency clients, the civil registry (`RegistrySettings`), and how soon
a revoked client's tokens stop (part of `kota_gateway.config.GatewaySettings`, prefix
``GATEWAY_``). The issuer and audience are every service's (`ServiceSettings`)."""

from pathlib import Path

from pydantic import Field, SecretStr

from kota_contracts.access import Scope
from kota_gateway.identity.registry.settings import RegistrySettings


class IdentitySettings(RegistrySettings):
    signing_key_dir: Path = Field(
        default=Path(".kota/run/gateway-keys"),
        description="Where the token signing keys live (private: keep it on a secret volume).",
    )
    access_token_ttl_seconds: int = Field(
        default=900, ge=60, le=3600, description="Lifetime of an access token (15 minutes)."
    )
    refresh_token_ttl_seconds: int = Field(
        default=30 * 24 * 3600, ge=300, description="Lifetime of a refresh token (30 days)."
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins with one name from one address before that address is "
        "locked out of that name (every other address still signs in; see accounts/lockout.py).",
    )
    login_lockout_base_seconds: float = Field(
        default=30, gt=0, description="First lock's length; each further failure doubles it."
    )
    login_lockout_max_seconds: float = Field(
        default=900, gt=0, description="Longest lock (15 minutes)."
    )
    login_name_ceiling: int = Field(
        default=50,
        ge=1,
        description="Failed sign-ins with one name from all addresses together past which "
        "each address is locked out of it after its first failure (slows a guess spread over "
        "many addresses; locks out no address that has not failed).",
    )
    login_failure_window_seconds: int = Field(
        default=24 * 3600,
        ge=60,
        description="A count of failures with no new one for this long starts again.",
    )
    first_admin_username: str | None = Field(
        default=None,
        description="Creates this city admin at start when no account has the name (idempotent).",
    )
    first_admin_password: SecretStr | None = Field(
        default=None, description="The first admin's initial password (change it after use)."
    )
    first_admin_full_name: str = "City administrator"

    # Agency clients (OAuth2 client credentials, see clients/).
    agency_client_scopes: list[str] = Field(
        default=[scope.value for scope in Scope],
        description="The scopes a city admin may grant to an agency client (by default every "
        "scope some operation requires; see kota_contracts.access.Scope).",
    )
    revoked_clients_refresh_seconds: float = Field(
        default=2,
        gt=0,
        le=60,
        description="How often each gateway re-reads the revoked agency clients, whose tokens "
        "it refuses from then on (so within this time on every replica).",
    )
