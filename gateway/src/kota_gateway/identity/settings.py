"""Settings of the identity provider: signing keys, token lifetimes, sign-in lockout, the
first administrator and agency clients (part of `kota_gateway.config.GatewaySettings`,
prefix ``GATEWAY_``). The issuer and audience are every service's (`ServiceSettings`)."""

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr

from kota_contracts.access import Scope


class IdentitySettings(BaseModel):
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

    # Agency clients (OAuth2 client credentials, see clients/).
    agency_client_scopes: list[str] = Field(
        default=[scope.value for scope in Scope],
        description="The scopes a city admin may grant to an agency client.",
    )
