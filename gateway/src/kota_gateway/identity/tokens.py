"""Tokens the gateway issues: EdDSA access JWTs and opaque refresh tokens.

Access tokens carry what every service verifies (``iss``, ``aud``, ``sub``, ``typ``,
``exp``, roles, scope) and are signed by the current key, named by ``kid``. A refresh
token is 32 random bytes; only its SHA-256 is stored, so a copy of the database cannot
be replayed as a session.
"""

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
from fastapi import FastAPI

from kota_gateway.identity.keys import SigningKeys
from kota_shared.auth import ACCESS_TOKEN_TYPE, JwksKeys

REFRESH_TOKEN_BYTES = 32
TOKEN_TYPE = "Bearer"  # noqa: S105 - the OAuth2 token_type, not a secret


@dataclass(frozen=True)
class AccessToken:
    token: str
    jti: str
    expires_at: datetime
    expires_in: int


def issue_access_token(
    *,
    keys: SigningKeys,
    issuer: str,
    audience: str,
    subject: str,
    roles: Iterable[str] = (),
    scopes: Iterable[str] = (),
    ttl: timedelta,
    acting_officer: str | None = None,
    now: datetime,
) -> AccessToken:
    """Sign an access token with the current key, issued at ``now`` (the app's clock);
    ``acting_officer`` adds ``act``."""
    issued_at = int(now.timestamp())
    expires_in = int(ttl.total_seconds())
    jti = uuid.uuid4().hex
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "typ": ACCESS_TOKEN_TYPE,
        "roles": sorted(set(roles)),
        "scope": " ".join(sorted(set(scopes))),
        "jti": jti,
        "iat": issued_at,
        "nbf": issued_at,
        "exp": issued_at + expires_in,
    }
    if acting_officer is not None:
        claims["act"] = {"sub": acting_officer}
    key = keys.current
    token = jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})
    return AccessToken(
        token=token,
        jti=jti,
        expires_at=datetime.fromtimestamp(issued_at + expires_in, UTC),
        expires_in=expires_in,
    )


def new_refresh_token() -> str:
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def refresh_token_digest(token: str) -> str:
    """What is stored and looked up: the token's SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


class LocalFirstKeys(JwksKeys):
    """The gateway's own public keys straight from its key ring, else the configured JWKS.

    The gateway holds the keys it signs with, so it verifies its own tokens without an
    HTTP round trip to itself (nor a startup-order dependency on its own listener), and a
    rotated key is known at once. Unknown ``kid`` values fall back to ``jwks_url`` (which
    in a deployment is the gateway's own JWKS, and in tests the test signer's).
    """

    def __init__(self, app: FastAPI, url: str, *, client: httpx.AsyncClient) -> None:
        super().__init__(url, client=client)
        self._app = app
        self._ring: SigningKeys | None = None
        self._local: dict[str, jwt.PyJWK] = {}

    async def get(self, kid: str) -> jwt.PyJWK | None:
        ring: SigningKeys = self._app.state.signing_keys
        if ring is not self._ring or kid not in self._local:
            # First use, or a rotation replaced or extended the ring (rebuilding is cheap:
            # no I/O, so a flood of invented kids cannot turn into requests anywhere).
            self._local = {jwk["kid"]: jwt.PyJWK.from_dict(jwk) for jwk in ring.jwks()["keys"]}
            self._ring = ring
        local = self._local.get(kid)
        return local if local is not None else await super().get(kid)
