"""The configured limits, their storage and the algorithm that counts: one hit per request.

Redis being away must not take the API down with it, so a storage error is the caller's to
let through (fail open, see `middleware`); after a few errors in a row a circuit breaker
stops asking Redis for a few seconds, so an unreachable Redis does not add its timeout to
every request either.
"""

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

import redis.asyncio
from limits import RateLimitItem
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import (
    FixedWindowRateLimiter,
    MovingWindowRateLimiter,
    RateLimiter,
    SlidingWindowCounterRateLimiter,
)

from kota_gateway.edge.breaker import CircuitBreaker
from kota_gateway.edge.ratelimit.policy import Decision, parse_limits
from kota_gateway.edge.ratelimit.storage import SweepingMemoryStorage, redis_storage
from kota_gateway.edge.settings import EdgeSettings

STRATEGIES: dict[str, Callable[[Storage], RateLimiter]] = {
    "sliding-window-counter": SlidingWindowCounterRateLimiter,  # O(1) per subject, smooth
    "moving-window": MovingWindowRateLimiter,  # exact, one entry per request
    "fixed-window": FixedWindowRateLimiter,  # cheapest, allows bursts at window edges
}


class RateLimits:
    """The configured limits, their storage and the algorithm that counts."""

    def __init__(
        self,
        limits: Mapping[str, str],
        *,
        strategy: str = "sliding-window-counter",
        redis_url: str | None = None,
    ) -> None:
        self._items = parse_limits(limits)
        self._pool: redis.asyncio.ConnectionPool | None = None
        self._breaker: CircuitBreaker | None = None
        storage: Storage
        if redis_url:
            self._breaker = CircuitBreaker(
                "rate-limit storage", failure_threshold=3, open_seconds=5
            )
            storage, self._pool = redis_storage(redis_url)
        else:
            storage = SweepingMemoryStorage()
        self.storage = storage
        self._limiter: RateLimiter = STRATEGIES[strategy](storage)

    @classmethod
    def from_settings(cls, settings: EdgeSettings) -> "RateLimits":
        return cls(
            settings.rate_limits,
            strategy=settings.rate_limit_strategy,
            redis_url=settings.redis_url,
        )

    @property
    def shared(self) -> bool:
        return self._pool is not None

    async def hit(self, route_class: str, subject: str) -> Decision | None:
        """Spend one request of ``subject``'s budget; None when the class is unlimited.

        With several limits (``10/second;300/minute``) the first refusal wins, and an
        allowed request reports the limit closest to running out.
        """
        items = self._items.get(route_class)
        if not items:
            return None
        if self._breaker is None:
            return await self._hit(items, route_class, subject)
        admission = self._breaker.admit()  # raises CircuitOpen: the caller fails open
        try:
            decision = await self._hit(items, route_class, subject)
        except Exception:
            self._breaker.failed(admission)
            raise
        except BaseException:  # cancelled: says nothing about Redis
            self._breaker.abandoned(admission)
            raise
        self._breaker.succeeded(admission)
        return decision

    async def _hit(
        self, items: list[RateLimitItem], route_class: str, subject: str
    ) -> Decision | None:
        tightest: Decision | None = None
        for item in items:
            allowed = await self._limiter.hit(item, route_class, subject)
            stats = await self._limiter.get_window_stats(item, route_class, subject)
            reset_seconds = math.ceil(stats.reset_time - time.time())
            decision = Decision(
                allowed=allowed,
                limit=item.amount,
                remaining=max(0, stats.remaining),
                # A refusal always asks for a pause, even when a slot frees within the second.
                reset_seconds=max(0 if allowed else 1, reset_seconds),
                window_seconds=item.get_expiry(),
            )
            if not allowed:
                return decision
            if tightest is None or decision.remaining < tightest.remaining:
                tightest = decision
        return tightest

    async def readiness(self) -> dict[str, Any]:
        """Where counts live and whether that storage answers (never fails: we fail open)."""
        if not self.shared:
            return {"storage": "memory"}
        try:
            reachable = await self.storage.check()
        except Exception:  # a probe reports, it does not raise
            reachable = False
        circuit = self._breaker.snapshot().state if self._breaker else None
        return {"storage": "redis", "reachable": reachable, "circuit": str(circuit)}

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.disconnect()
        elif isinstance(self.storage, MemoryStorage) and self.storage.timer is not None:
            self.storage.timer.cancel()
