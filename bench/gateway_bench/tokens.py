"""Citizen access tokens, signed with the gateway's key as its login signs them.

Every request of every scenario carries one (taken in turn), so that all send the same bytes.
"""

import time
import uuid
from pathlib import Path

from .config import AUDIENCE, ISSUER


def sign_tokens(key_dir: Path, count: int, *, ttl: int = 3 * 3600) -> list[str]:
    """Citizen access tokens signed with the gateway's current key, as its login signs them."""
    import jwt

    from kota_gateway.identity.keys import SigningKeys

    key = SigningKeys.load_or_create(key_dir).current
    now = int(time.time())
    tokens = []
    for _ in range(count):
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(uuid.uuid4()),
            "typ": "access",
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
            "roles": ["citizen"],
            "scope": "",
        }
        tokens.append(
            jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})
        )
    return tokens
