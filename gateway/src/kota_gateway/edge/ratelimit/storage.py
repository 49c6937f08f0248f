"""Where counts live: in this process (`limits`' memory storage, swept at most once a
second), or in Redis, shared by every gateway replica, behind short timeouts."""

import math
import time

import redis.asyncio
from limits.aio.storage import MemoryStorage, RedisStorage

REDIS_TIMEOUT_SECONDS = 0.5
"""A slow Redis must not become a slow gateway: past this, the request goes through."""


class SweepingMemoryStorage(MemoryStorage):
    """`limits`' in-process storage, sweeping expired counters at most once a second.

    The library starts a sweep of *every* key after each hit once the previous sweep has
    finished, which under load makes each request pay for a scan of all subjects (measured:
    ~3 ms a request with 10,000 subjects). Expiry is also checked whenever a counter is read,
    so the sweep only gives memory back and can wait a second. The hook is the base class's
    name-mangled ``__schedule_expiry``; the unit tests pin its behaviour.
    """

    SWEEP_INTERVAL_SECONDS = 1.0

    def __init__(self) -> None:
        super().__init__()
        self._last_sweep = -math.inf

    async def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - the base class hook
        now = time.monotonic()
        if now - self._last_sweep >= self.SWEEP_INTERVAL_SECONDS:
            self._last_sweep = now
            await super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]


def redis_storage(redis_url: str) -> tuple[RedisStorage, redis.asyncio.ConnectionPool]:
    """Counts in Redis, over a pool that the caller owns and closes (`limits` would not)."""
    pool = redis.asyncio.ConnectionPool.from_url(
        redis_url,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    storage = RedisStorage(
        "async+" + redis_url.removeprefix("async+"),
        implementation="redispy",
        wrap_exceptions=True,
        key_prefix="kota-gateway",
        connection_pool=pool,  # type: ignore[arg-type]
    )
    return storage, pool
