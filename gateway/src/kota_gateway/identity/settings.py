"""Settings of the identity provider: signing keys, token lifetimes, sign-in lockout, the
first administrator, agency clients (and those the settings own), the civil registry
(`RegistrySettings`), and how soon a revoked client's tokens stop (part of
`kota_gateway.config.GatewaySettings`, prefix ``GATEWAY_``). The issuer and audience are
every service's (`ServiceSettings`)."""

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from kota_contracts.access import Scope
from kota_gateway.identity.registry.settings import RegistrySettings

BOOTSTRAP_CLIENT_ID_PATTERN = r"^[a-z][a-z0-9._-]{2,39}$"
MIN_BOOTSTRAP_SECRET_LENGTH = 32


class BootstrapClient(BaseModel):
    """An agency client the settings own (``GATEWAY_BOOTSTRAP_CLIENTS``): created at start
    if absent, its secret, scopes, name and agency made to match at every start
    (`kota_gateway.identity.clients.provisioning`). For the city's own services, whose
    credentials the deployment holds anyway, so no administrator has to step in."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(
        pattern=BOOTSTRAP_CLIENT_ID_PATTERN,
        description="Lower case, 3 to 40 characters (`information`); never `ac_…`, the "
        "prefix of the clients a city admin registers, so the two never meet.",
    )
    agency: str = Field(min_length=1, max_length=200)
    name: str | None = Field(
        default=None, min_length=1, max_length=200, description="The client id if not given."
    )
    secret: SecretStr = Field(
        description=f"At least {MIN_BOOTSTRAP_SECRET_LENGTH} characters; only its Argon2id "
        "hash is stored. Changing it rotates the client's secret at the next start."
    )
    scopes: list[str] = Field(min_length=1, max_length=20)
    rotation_grace_seconds: int = Field(
        default=0,
        ge=0,
        le=7 * 24 * 3600,
        description="After the secret is changed, how long the one it replaces keeps working "
        "(0: not at all), as a city admin's rotation allows.",
    )

    @field_validator("client_id")
    @classmethod
    def _not_an_admins_id(cls, client_id: str) -> str:
        if client_id.startswith("ac_"):
            raise ValueError("ac_ is the prefix of the clients a city admin registers")
        return client_id

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, secret: SecretStr) -> SecretStr:
        if len(secret.get_secret_value()) < MIN_BOOTSTRAP_SECRET_LENGTH:
            raise ValueError(f"a secret has at least {MIN_BOOTSTRAP_SECRET_LENGTH} characters")
        return secret

    @field_validator("scopes")
    @classmethod
    def _known_scopes(cls, scopes: list[str]) -> list[str]:
        known = {scope.value for scope in Scope}
        unknown = sorted(set(scopes) - known)
        if unknown:
            raise ValueError(
                f"unknown scope(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return sorted(set(scopes))


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
    bootstrap_clients: list[BootstrapClient] = Field(
        default=[],
        description="JSON list of agency clients to create, or bring up to date, at every "
        'start: `[{"client_id": "information", "agency": "Diskominfo", "secret": "…", '
        '"scopes": ["identity:contacts:read"]}]`. Any known scope, whether or not '
        "GATEWAY_AGENCY_CLIENT_SCOPES lets an admin grant it; an unknown one stops the start.",
    )

    @field_validator("bootstrap_clients")
    @classmethod
    def _one_entry_per_client(cls, clients: list[BootstrapClient]) -> list[BootstrapClient]:
        ids = [client.client_id for client in clients]
        twice = sorted({client_id for client_id in ids if ids.count(client_id) > 1})
        if twice:
            raise ValueError(f"listed more than once: {', '.join(twice)}")
        return clients

    revoked_clients_refresh_seconds: float = Field(
        default=2,
        gt=0,
        le=60,
        description="How often each gateway re-reads the revoked agency clients, whose tokens "
        "it refuses from then on (so within this time on every replica).",
    )
