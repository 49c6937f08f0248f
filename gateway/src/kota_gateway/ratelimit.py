"""Rate limits per caller and route class, counted by the `limits` library.

Who is counted (the *subject*): the ``sub`` of a valid access token, verified with the same
`TokenVerifier` the services use, so nobody can spend someone else's budget or dodge theirs
with a made-up token; without one (or with an invalid one) the client's IP address. Sign-in
routes (``/v1/auth/*``) are always counted per IP: they are where tokens come from.

The client IP is the connection's peer; ``X-Forwarded-For`` is believed only when the peer
is one of ``trusted_proxies``, and then read right to left up to the first untrusted hop.

Route classes: ``auth`` (``/v1/auth/*``), ``read`` (GET, HEAD, OPTIONS) and ``write``
(everything else) under ``/v1/``; probes, metrics and key discovery are never limited.

Counts live in this process (`limits`' async memory storage) unless ``redis_url`` is set,
when every gateway replica shares them in Redis. Redis being away must not take the API
down with it, so a storage error lets the request through (fail open), logged and counted;
after a few errors in a row a circuit breaker stops asking Redis for a few seconds, so an
unreachable Redis does not add its timeout to every request either.

Answers carry ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` and
``RateLimit-Policy`` (draft-ietf-httpapi-ratelimit-headers); a refusal is a 429
problem+json with ``Retry-After``.
"""

import ipaddress
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import redis.asyncio
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import (
    FixedWindowRateLimiter,
    MovingWindowRateLimiter,
    RateLimiter,
    SlidingWindowCounterRateLimiter,
)
from prometheus_client import Counter
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kota_gateway.breaker import CircuitBreaker
from kota_gateway.config import GatewaySettings
from kota_shared.auth import TokenVerifier
from kota_shared.problems import Problem, render_problem

_log = logging.getLogger(__name__)

ROUTE_CLASSES = frozenset({"auth", "read", "write"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REDIS_TIMEOUT_SECONDS = 0.5
"""A slow Redis must not become a slow gateway: past this, the request goes through."""

STRATEGIES: dict[str, Callable[[Storage], RateLimiter]] = {
    "sliding-window-counter": SlidingWindowCounterRateLimiter,  # O(1) per subject, smooth
    "moving-window": MovingWindowRateLimiter,  # exact, one entry per request
    "fixed-window": FixedWindowRateLimiter,  # cheapest, allows bursts at window edges
}

RATE_LIMITED = Counter(
    "kota_gateway_rate_limited_total", "Requests refused with 429, per route class", ["route_class"]
)
STORAGE_ERRORS = Counter(
    "kota_gateway_rate_limit_storage_errors_total",
    "Rate-limit checks skipped because the storage failed (the request went through)",
)


class TooManyRequests(Problem):
    status = 429
    code = "rate_limited"
    title_en = "Too many requests. Please wait a moment and try again."
    title_id = "Terlalu banyak permintaan. Silakan tunggu sebentar lalu coba lagi."


def route_class(method: str, path: str) -> str | None:
    """Which budget a request spends, or None for routes that are never limited."""
    if not path.startswith("/v1/"):
        return None
    if path.startswith("/v1/auth/") or path == "/v1/auth":
        return "auth"
    return "read" if method in READ_METHODS else "write"


class TrustedProxies:
    """Finds the client's address behind the proxies we were told to trust."""

    def __init__(self, entries: Sequence[str]) -> None:
        self._networks = [ipaddress.ip_network(entry, strict=False) for entry in entries]

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._networks)

    def client_ip(self, peer: str | None, forwarded_for: Sequence[str]) -> str:
        if peer is None:
            return "unknown"
        if not self._networks or not forwarded_for or not self._trusted(peer):
            return peer
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
        hops = [hop for hop in hops if hop]
        for hop in reversed(hops):
            if not self._trusted(hop):
                return hop
        return hops[0] if hops else peer


@dataclass(frozen=True)
class Decision:
    """One limit's verdict and what the caller is told about it."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    window_seconds: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(self.reset_seconds).encode()),
            (b"ratelimit-policy", f"{self.limit};w={self.window_seconds}".encode()),
        ]


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


def parse_limits(specs: Mapping[str, str]) -> dict[str, list[RateLimitItem]]:
    """``{"read": "300/minute"}`` → parsed limits; raises ValueError naming the bad entry."""
    parsed: dict[str, list[RateLimitItem]] = {}
    for name, spec in specs.items():
        if name not in ROUTE_CLASSES:
            raise ValueError(
                f"GATEWAY_RATE_LIMITS: unknown route class {name!r} "
                f"(known: {', '.join(sorted(ROUTE_CLASSES))})"
            )
        try:
            parsed[name] = parse_many(spec)
        except ValueError as exc:
            raise ValueError(f"GATEWAY_RATE_LIMITS[{name!r}]: {exc}") from exc
    return parsed


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
            # We own the pool (limits would not close it), with short timeouts: see above.
            self._pool = redis.asyncio.ConnectionPool.from_url(
                redis_url,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            storage = RedisStorage(
                "async+" + redis_url.removeprefix("async+"),
                implementation="redispy",
                wrap_exceptions=True,
                key_prefix="kota-gateway",
                connection_pool=self._pool,  # type: ignore[arg-type]
            )
        else:
            storage = SweepingMemoryStorage()
        self.storage = storage
        self._limiter: RateLimiter = STRATEGIES[strategy](storage)

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> "RateLimits":
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


class RateLimitMiddleware:
    """Plain ASGI: spends the subject's budget, adds ``RateLimit-*``, or answers 429.

    Reads ``app.state.rate_limits`` (a `RateLimits`, built in the lifespan) and
    ``app.state.token_verifier``; without the former it lets everything through.
    """

    def __init__(self, app: ASGIApp, *, trusted_proxies: Sequence[str] = ()) -> None:
        self.app = app
        self.subjects = Subjects(trusted_proxies)
        self._last_storage_warning = -math.inf

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        budget = route_class(scope["method"], scope["path"])
        state = scope["app"].state
        limits: RateLimits | None = getattr(state, "rate_limits", None)
        if budget is None or limits is None:
            await self.app(scope, receive, send)
            return
        subject = await self.subjects.of(scope, budget, getattr(state, "token_verifier", None))
        try:
            decision = await limits.hit(budget, subject)
        except Exception as exc:  # the storage failed: fail open, loudly but not per request
            STORAGE_ERRORS.inc()
            now = time.monotonic()
            if now - self._last_storage_warning > 30:
                self._last_storage_warning = now
                _log.warning("rate limits not enforced: storage failed: %r", exc)
            decision = None
        if decision is None:
            await self.app(scope, receive, send)
            return
        headers = decision.headers()
        if not decision.allowed:
            RATE_LIMITED.labels(budget).inc()
            await self._refuse(scope, receive, send, decision, headers)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    async def _refuse(
        scope: Scope,
        receive: Receive,
        send: Send,
        decision: Decision,
        headers: list[tuple[bytes, bytes]],
    ) -> None:
        response = render_problem(
            Request(scope),
            TooManyRequests(
                f"The limit is {decision.limit} requests per {decision.window_seconds} "
                f"seconds; try again in {decision.reset_seconds} seconds.",
                headers={
                    "Retry-After": str(decision.reset_seconds),
                    **{name.decode(): value.decode() for name, value in headers},
                },
            ),
        )
        await response(scope, receive, send)
