"""Who a request is counted against: the ``sub`` of a valid access token, else the client's IP.

The token is verified with the same `TokenVerifier` the services use, so nobody can spend
someone else's budget or dodge theirs with a made-up token. Sign-in routes are always
counted per IP: they are where tokens come from.
"""

import time
from collections.abc import Sequence

from starlette.types import Scope

from kota_gateway.edge.ratelimit.client_ip import TrustedProxies
from kota_shared.auth import TokenVerifier
from kota_shared.problems import Problem


def _headers(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope["headers"] if key == name]


def _bearer_token(scope: Scope) -> str | None:
    for value in _headers(scope, b"authorization"):
        scheme, _, token = value.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip()
    return None


class Subjects:
    """Who a request is counted against; remembers verified tokens until they expire.

    Verifying a signature costs far more than a dictionary lookup, and the app repeats its
    token on every call, so a token verified once maps to its ``sub`` until its ``exp``.
    """

    def __init__(self, trusted_proxies: Sequence[str], *, cache_size: int = 10_000) -> None:
        self._proxies = TrustedProxies(trusted_proxies)
        self._cache: dict[str, tuple[str, float]] = {}
        self._cache_size = cache_size

    def client_ip(self, scope: Scope) -> str:
        client = scope.get("client")
        return self._proxies.client_ip(
            client[0] if client else None, _headers(scope, b"x-forwarded-for")
        )

    async def of(self, scope: Scope, route_class: str, verifier: TokenVerifier | None) -> str:
        if route_class != "auth" and verifier is not None:
            token = _bearer_token(scope)
            if token is not None:
                subject = await self._verified_subject(token, verifier)
                if subject is not None:
                    return f"sub:{subject}"
        return f"ip:{self.client_ip(scope)}"

    async def _verified_subject(self, token: str, verifier: TokenVerifier) -> str | None:
        cached = self._cache.get(token)
        if cached is not None and cached[1] > time.time():
            return cached[0]
        try:
            principal = await verifier.verify(token)
        except Problem:  # invalid, expired, or keys unavailable: count by IP instead
            return None
        if len(self._cache) >= self._cache_size:
            del self._cache[next(iter(self._cache))]  # the oldest entry
        self._cache[token] = (principal.subject, float(principal.claims["exp"]))
        return principal.subject
