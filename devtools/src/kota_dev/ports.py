"""Loopback port helpers for local infrastructure: pick a free port, wait for a listener."""

import random
import socket
import time
from collections.abc import Iterable


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now.

    The kernel picks it; another process may still take it before we bind, which is an
    acceptable race for local development and tests.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_tcp(host: str, port: int, timeout: float) -> None:
    """Block until something accepts TCP connections on host:port, or raise TimeoutError."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=1.0):
                return
        except OSError as exc:
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"nothing accepted TCP connections on {host}:{port} within {timeout:g} s "
                    f"(last error: {exc})"
                ) from exc
            time.sleep(0.1)


def free_ports_from(offsets: Iterable[int]) -> int:
    """A base port such that base + each offset is free right now: where a whole suite
    (``kota up --port-base``) can listen beside another one."""
    wanted = sorted(set(offsets))
    for _ in range(200):
        base = random.randint(20_000, 40_000)
        sockets = []
        try:
            for offset in wanted:
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError(f"no free loopback ports at offsets {wanted}")
