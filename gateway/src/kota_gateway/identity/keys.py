"""The gateway's token signing keys (Ed25519, each with a ``kid``) and their public JWKS.

Keys are PEM files in a private directory; the newest signs, all are published, so a
rotated-out key keeps verifying the tokens it signed until they expire.
"""

import json
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(
            jwt.algorithms.OKPAlgorithm.to_jwk(self.private_key.public_key())
        )
        return {**jwk, "kid": self.kid, "alg": "EdDSA", "use": "sig"}


class SigningKeys:
    def __init__(self, keys: list[SigningKey]) -> None:
        if not keys:
            raise ValueError("at least one signing key is needed")
        self._keys = keys

    @property
    def current(self) -> SigningKey:
        return self._keys[-1]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self._keys]}

    @classmethod
    def rotate(cls, directory: Path) -> str:
        """Add a new signing key (it signs from the next start); returns its ``kid``.

        The old keys stay published, so tokens they signed verify until they expire; remove
        an old ``<kid>.pem`` once its tokens can no longer be alive (15 minutes).
        """
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        return _write_new_key(directory).stem

    @classmethod
    def load_or_create(cls, directory: Path) -> "SigningKeys":
        """Load every ``<kid>.pem`` (oldest first); create the first key on a fresh install."""
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        paths = sorted(directory.glob("*.pem"))
        if not paths:
            paths = [_write_new_key(directory)]
        return cls([_read_key(path) for path in paths])


def _write_new_key(directory: Path) -> Path:
    # Sortable and unique: keys are ordered by kid, newest last. Microseconds, because two
    # keys made within one second must still sort in the order they were made.
    kid = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = directory / f"{kid}.pem"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return path


def _read_key(path: Path) -> SigningKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return SigningKey(kid=path.stem, private_key=key)


if __name__ == "__main__":
    # ``python -m kota_gateway.identity.keys rotate <key directory>``
    if sys.argv[1:2] != ["rotate"] or len(sys.argv) != 3:
        sys.exit("usage: python -m kota_gateway.identity.keys rotate <key directory>")
    print(SigningKeys.rotate(Path(sys.argv[2])))
