"""Micro-benchmarks of the gateway's per-request auth and limiting pieces.

In the benchmark's own process, on one core and without load: what each piece costs at best,
to set against the gateways' throughput with rate limits (and token checks) on and off.
"""

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .config import AUDIENCE, ISSUER, UNREFUSED_READ_LIMIT


async def micro_benchmarks(key_dir: Path, tokens: list[str]) -> dict[str, Any]:
    """Costs per call, in us: verifying a fresh token, a cached subject, a limit hit."""
    import jwt

    from kota_gateway.edge.ratelimit.limiter import RateLimits
    from kota_gateway.edge.ratelimit.subjects import Subjects
    from kota_gateway.identity.keys import SigningKeys
    from kota_shared.auth import JwksKeys, TokenVerifier

    ring = SigningKeys.load_or_create(key_dir)

    class RingKeys(JwksKeys):  # the gateway's LocalFirstKeys, without an app around it
        def __init__(self) -> None:
            super().__init__("http://unused", client=None)  # type: ignore[arg-type]
            self._ring = {k["kid"]: jwt.PyJWK.from_dict(k) for k in ring.jwks()["keys"]}

        async def get(self, kid: str) -> jwt.PyJWK | None:
            return self._ring.get(kid)

    verifier = TokenVerifier(keys=RingKeys(), issuer=ISSUER, audience=AUDIENCE)

    async def timed(n: int, op: Callable[[int], Any]) -> float:
        began = time.perf_counter()
        for i in range(n):
            await op(i)
        return round(1e6 * (time.perf_counter() - began) / n, 2)

    sample = tokens[:500]
    verify_us = await timed(len(sample), lambda i: verifier.verify(sample[i]))
    subjects = Subjects([])
    scopes = [
        {"type": "http", "headers": [(b"authorization", f"Bearer {t}".encode())], "client": None}
        for t in tokens
    ]
    for scope in scopes:  # fill the cache, as the warm-up does for the gateway
        await subjects.of(scope, "read", verifier)
    cached_us = await timed(
        20_000,
        lambda i: subjects.of(scopes[i % len(scopes)], "read", verifier),
    )
    limits = RateLimits({"read": UNREFUSED_READ_LIMIT})
    try:
        hit_us = await timed(20_000, lambda i: limits.hit("read", f"sub:{i % len(tokens)}"))
    finally:
        await limits.aclose()
    return {
        "token_verify_uncached_us": verify_us,
        "token_subject_cached_us": cached_us,
        "rate_limit_hit_us": hit_us,
        "note": "One core of this process, no load: a fresh token costs token_verify_uncached_us "
        "once (then it is cached until exp); every request costs token_subject_cached_us + "
        "rate_limit_hit_us (sliding-window counter in memory: a hit and a window-stats read).",
    }
