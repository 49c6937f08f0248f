"""Token verification every service does itself: JWKS from the gateway, then roles and scopes.

No service trusts an identity header. Each verifies the gateway's signature (asymmetric,
chosen by ``kid`` from the published JWKS), ``iss``, ``aud``, ``exp``/``nbf`` and the token
kind, then endpoints declare who may call them with `Require`.
"""

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kota_shared.messages import _
from kota_shared.problems import Forbidden, ServiceUnavailable, Unauthorized

ALLOWED_ALGORITHMS = ("EdDSA", "RS256")
ACCESS_TOKEN_TYPE = "access"  # noqa: S105 - a token kind, not a secret


@dataclass(frozen=True)
class Principal:
    """Who is calling, as the verified token says."""

    subject: str
    roles: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    acting_officer: str | None = None
    """Set when an officer acts for a citizen at a kiosk: records name both."""
    claims: dict[str, Any] = field(default_factory=dict, compare=False)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def acted_by(self) -> str:
        """Who did it: the kiosk officer acting for the citizen, else the caller themselves."""
        return self.acting_officer or self.subject


class JwksKeys:
    """The gateway's public keys, cached; refetched when a token names an unknown ``kid``.

    Refetches are spaced by ``min_refresh_seconds`` so a flood of tokens with invented
    ``kid`` values cannot turn into a flood of requests to the gateway.
    """

    def __init__(
        self,
        url: str,
        *,
        client: httpx.AsyncClient,
        ttl_seconds: float = 300,
        min_refresh_seconds: float = 10,
    ) -> None:
        self._url = url
        self._client = client
        self._ttl = ttl_seconds
        self._min_refresh = min_refresh_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> jwt.PyJWK | None:
        now = time.monotonic()
        stale = now - self._fetched_at > self._ttl
        if kid not in self._keys or stale:
            async with self._lock:
                if now - self._fetched_at >= self._min_refresh or stale:
                    await self._fetch()
        return self._keys.get(kid)

    async def _fetch(self) -> None:
        try:
            response = await self._client.get(self._url, timeout=5)
            response.raise_for_status()
            key_set = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
            if not self._keys:
                raise ServiceUnavailable(_("Token keys cannot be loaded right now.")) from exc
            return  # keep serving with the keys we have
        self._keys = {key.key_id: key for key in key_set.keys if key.key_id}
        self._fetched_at = time.monotonic()


class TokenVerifier:
    """Turns a bearer token into a `Principal`, or raises `Unauthorized`."""

    def __init__(self, *, keys: JwksKeys, issuer: str, audience: str, leeway: float = 5) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized(_("The token is malformed.")) from exc
        algorithm, kid = header.get("alg"), header.get("kid")
        # The algorithm is pinned by our allow-list and by the key itself, never by the token:
        # this is what refuses "alg: none" and HS256-signed-with-the-public-key forgeries.
        if algorithm not in ALLOWED_ALGORITHMS or not isinstance(kid, str):
            raise Unauthorized(_("The token is not signed the way we sign tokens."))
        key = await self._keys.get(kid)
        if key is None or key.algorithm_name != algorithm:
            raise Unauthorized(_("The token was not signed by a key we know."))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[key.algorithm_name],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized(_("The token has expired: sign in again.")) from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized(_("The token is not valid."), reason=str(exc)) from exc
        if claims.get("typ") != ACCESS_TOKEN_TYPE:
            raise Unauthorized(_("This is not an access token."))
        return Principal(
            subject=str(claims["sub"]),
            roles=frozenset(_strings(claims.get("roles", ()))),
            scopes=frozenset(str(claims.get("scope", "")).split()),
            acting_officer=_acting_officer(claims),
            claims=claims,
        )


def _strings(values: Iterable[Any]) -> list[str]:
    return [str(v) for v in values] if not isinstance(values, str) else [values]


def _acting_officer(claims: dict[str, Any]) -> str | None:
    act = claims.get("act")
    return str(act["sub"]) if isinstance(act, dict) and "sub" in act else None


_bearer = HTTPBearer(auto_error=False, description="An access token issued by the gateway.")


async def _authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized(_("Sign in to continue: this needs an access token."))
    verifier: TokenVerifier = request.app.state.token_verifier
    return await verifier.verify(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(_authenticated)]
"""Any caller with a valid access token."""


class Require:
    """A dependency admitting callers with any of ``roles`` or all of ``scopes``.

    ``Require(roles={"permits_officer"}, scopes={"permits:verify"})`` lets an officer in, or
    an agency client holding the scope; anyone else gets 403.
    """

    def __init__(self, *, roles: Iterable[str] = (), scopes: Iterable[str] = ()) -> None:
        self._roles = frozenset(roles)
        self._scopes = frozenset(scopes)

    async def __call__(self, principal: CurrentPrincipal) -> Principal:
        if self._roles and principal.roles & self._roles:
            return principal
        if self._scopes and self._scopes <= principal.scopes:
            return principal
        raise Forbidden(_("Your account does not have access to this operation."))
