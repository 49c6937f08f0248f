"""A test signing key that plays the gateway: mints tokens and serves their JWKS over HTTP."""

import json
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

TEST_ISSUER = "https://gateway.test.kota.live"
TEST_AUDIENCE = "kota-live"


class TestSigner:
    """Ed25519 keys with ``kid``; ``issue`` mints access tokens as the gateway will."""

    __test__ = False  # not a test class, despite its name

    def __init__(self, *, issuer: str = TEST_ISSUER, audience: str = TEST_AUDIENCE) -> None:
        self.issuer = issuer
        self.audience = audience
        self.kid = f"test-{uuid.uuid4().hex[:8]}"
        self.private_key = Ed25519PrivateKey.generate()
        self._served_keys: list[dict[str, Any]] = [self._public_jwk(self.kid, self.private_key)]

    @staticmethod
    def _public_jwk(kid: str, key: Ed25519PrivateKey) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
        return {**jwk, "kid": kid, "alg": "EdDSA", "use": "sig"}

    def rotate(self) -> None:
        """A new signing key, published beside the old one (as the gateway rotates)."""
        self.kid = f"test-{uuid.uuid4().hex[:8]}"
        self.private_key = Ed25519PrivateKey.generate()
        self._served_keys.append(self._public_jwk(self.kid, self.private_key))

    def jwks(self) -> dict[str, Any]:
        return {"keys": list(self._served_keys)}

    def issue(
        self,
        subject: str,
        *,
        roles: Iterable[str] = ("citizen",),
        scopes: Iterable[str] = (),
        ttl_seconds: int = 900,
        headers: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "typ": "access",
            "iat": now,
            "nbf": now,
            "exp": now + ttl_seconds,
            "jti": uuid.uuid4().hex,
            "roles": list(roles),
            "scope": " ".join(scopes),
            **claims,
        }
        return jwt.encode(
            payload,
            self.private_key,
            algorithm="EdDSA",
            headers={"kid": self.kid, **(headers or {})},
        )


@contextmanager
def serve_jwks(signer: TestSigner) -> Iterator[str]:
    """Serve the signer's JWKS on a loopback port, the way services fetch the gateway's."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(signer.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    finally:
        server.shutdown()
        server.server_close()
