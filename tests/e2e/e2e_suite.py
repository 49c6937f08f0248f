"""A running suite as the end-to-end tests see it: where the gateway is, and how to sign in."""

import random
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization

SERVICES = ("permits", "health", "education", "payments", "monitoring")


@dataclass
class Suite:
    gateway: str
    state_dir: Path
    process: subprocess.Popen[bytes]
    ports: list[int]
    log: Path

    def token(self, subject: str, *, roles: list[str], ttl: int = 600) -> str:
        """Signed with the gateway's own key, as the gateway's login will sign it."""
        (key_file,) = (self.state_dir / "gateway-keys").glob("*.pem")
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        now = int(time.time())
        claims = {
            "iss": self.gateway,
            "aud": "kota-live",
            "sub": subject,
            "typ": "access",
            "iat": now,
            "exp": now + ttl,
            "roles": roles,
        }
        return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": key_file.stem})  # type: ignore[arg-type]

    def headers(self, subject: str, *, roles: list[str]) -> dict[str, Any]:
        return {"Authorization": f"Bearer {self.token(subject, roles=roles)}"}


def free_block(size: int) -> int:
    """A run of ``size`` free loopback ports (the gateway and each service)."""
    for _ in range(200):
        base = random.randint(20_000, 40_000)
        sockets = []
        try:
            for port in range(base, base + size):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no block of free ports")
