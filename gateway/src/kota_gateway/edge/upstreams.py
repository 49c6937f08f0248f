"""The internal services behind the gateway: a connection pool, a breaker and a retry rule each.

Each upstream has two clients over separate pools, for two kinds of traffic:

- **aiohttp** for the proxy, the hot path. The gateway benchmark showed httpcore's pool
  spending ~40% of the gateway's CPU per request on bookkeeping (it rescans every pooled
  connection for every request, encode/httpcore#1035), and httpx's request and URL models
  most of the rest of the proxy's own time; aiohttp keeps idle connections in a queue per
  host and relays raw bytes.
- **httpx** for the gateway's own calls (readiness probes, OpenAPI documents, the overview's
  sections), where its interface is worth more than the CPU.

Retries (`Upstream.send`) happen only where sending twice cannot do harm and cannot be a
surprise: the caller decides the request is replayable (an idempotent method, RFC 9110
§9.2.2, with a body still held in memory) and the connection was refused before the request
left (``aiohttp.ClientConnectorError``). Never after a response, never on a timeout (a read
timeout may mean the work was done; a connect timeout retried would double the wait a client
sees). At most ``retries`` times, after a jittered exponential pause (`kota_shared.backoff`,
the suite's one rule). The loop is ours, not tenacity's: the proxy's hot path sends once and
pays for nothing more until a connection is refused.
"""

import asyncio
import time
from collections.abc import AsyncIterable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import httpx
from prometheus_client import Counter, Gauge
from yarl import URL

from kota_gateway.edge.breaker import BreakerState, CircuitBreaker
from kota_gateway.edge.settings import EdgeSettings
from kota_shared.backoff import Backoff
from kota_shared.health import ReadinessCheck

KEEPALIVE_SECONDS = 4.0
"""Below the services' own keep-alive (uvicorn closes idle connections after 5 s), so the
gateway never sends on a connection the service is about to close."""

CIRCUIT_STATE = Gauge(
    "kota_gateway_upstream_circuit_state",
    "Circuit breaker of each upstream: 0 closed, 1 half-open, 2 open",
    ["upstream"],
)
_STATE_VALUES = {BreakerState.CLOSED: 0, BreakerState.HALF_OPEN: 1, BreakerState.OPEN: 2}
UPSTREAM_RETRIES = Counter(
    "kota_gateway_upstream_retries_total",
    "Idempotent requests sent again after a refused connection",
    ["upstream"],
)


def _record_state(upstream: str, state: BreakerState) -> None:
    CIRCUIT_STATE.labels(upstream).set(_STATE_VALUES[state])


class UpstreamNotReady(RuntimeError):
    """An upstream's readiness as the gateway sees it, with its circuit in the message."""


@dataclass(frozen=True)
class UpstreamTimeouts:
    connect_seconds: float
    read_seconds: float


@dataclass
class Upstream:
    """One internal service: its base URL, its two clients, its breaker and how to retry."""

    name: str
    base_url: str
    client: httpx.AsyncClient
    breaker: CircuitBreaker
    timeouts: UpstreamTimeouts
    pool_size: int
    retries: int
    retry_backoff_seconds: float
    route_label: str = field(init=False)
    """How metrics and the access log name a proxied route (one series per upstream)."""
    backoff: Backoff = field(init=False)
    """The pauses before retries: uncapped, as ``retries`` bounds them (2 at most)."""
    _session: aiohttp.ClientSession | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.route_label = f"/v1/{self.name}/{{path}}"
        self.backoff = Backoff(first_seconds=self.retry_backoff_seconds)

    def url(self, target: str) -> URL:
        """The upstream URL for a raw, already-encoded path and query (kept byte for byte)."""
        return URL(self.base_url + target, encoded=True)

    def session(self) -> aiohttp.ClientSession:
        """The proxy's pool, made on first use (aiohttp wants a running event loop)."""
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self.pool_size, keepalive_timeout=KEEPALIVE_SECONDS
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),  # one caller's cookies are not the next's
                auto_decompress=False,  # relay the bytes as they came
                skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    sock_connect=self.timeouts.connect_seconds,
                    sock_read=self.timeouts.read_seconds,
                ),
            )
            # aiohttp would resend an idempotent request once when the upstream hangs up;
            # retries are ours to decide (only when the request provably never left), so that
            # switch, which aiohttp exposes only to its own test client, is off.
            self._session._retry_connection = False
        return self._session

    async def send(
        self,
        method: str,
        target: str,
        *,
        headers: list[tuple[str, str]],
        body: bytes | AsyncIterable[bytes] | None,
        replayable: bool,
    ) -> aiohttp.ClientResponse:
        """Send the request and return the response with its body not yet read."""
        attempt = 0
        while True:
            try:
                return await self.session().request(
                    method, self.url(target), headers=headers, data=body, allow_redirects=False
                )
            except aiohttp.ClientConnectorError:
                # Refused or reset while connecting: the request provably never left.
                if not replayable or attempt >= self.retries:
                    raise
            attempt += 1
            UPSTREAM_RETRIES.labels(self.name).inc()
            await asyncio.sleep(self.backoff.delay(attempt))

    async def readiness(self) -> dict[str, Any]:
        """Ready when the circuit is not open and the service's own ``/readyz`` says 200."""
        snapshot = self.breaker.snapshot()
        circuit = f"circuit {snapshot.state}, {snapshot.consecutive_failures} failures in a row"
        if snapshot.state is BreakerState.OPEN:
            raise UpstreamNotReady(f"{circuit}; next probe in {snapshot.retry_after:.1f}s")
        try:
            response = await self.client.get("/readyz", timeout=2)
        except httpx.HTTPError as exc:
            raise UpstreamNotReady(f"{type(exc).__name__}: {exc} ({circuit})") from exc
        if response.status_code != 200:
            raise UpstreamNotReady(f"/readyz answered {response.status_code} ({circuit})")
        return {
            "circuit": str(snapshot.state),
            "consecutive_failures": snapshot.consecutive_failures,
        }

    async def aclose(self) -> None:
        try:
            await self.client.aclose()
        finally:
            if self._session is not None:
                await self._session.close()
                self._session = None


class Upstreams:
    """The internal services by name."""

    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        connect_timeout: float,
        read_timeout: float,
        pool_size: int,
        retries: int = 1,
        retry_backoff_seconds: float = 0.05,
        retry_buffer_bytes: int = 64 * 1024,
        failure_threshold: int = 5,
        open_seconds: float = 10,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.retry_buffer_bytes = retry_buffer_bytes
        timeouts = UpstreamTimeouts(connect_seconds=connect_timeout, read_seconds=read_timeout)
        self.upstreams = {
            name: Upstream(
                name=name,
                base_url=url.rstrip("/"),
                client=httpx.AsyncClient(
                    base_url=url,
                    timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
                    limits=httpx.Limits(max_connections=pool_size),
                ),
                breaker=CircuitBreaker(
                    name,
                    failure_threshold=failure_threshold,
                    open_seconds=open_seconds,
                    clock=clock,
                    on_change=_record_state,
                ),
                timeouts=timeouts,
                pool_size=pool_size,
                retries=retries,
                retry_backoff_seconds=retry_backoff_seconds,
            )
            for name, url in urls.items()
        }

    @classmethod
    def from_settings(cls, settings: EdgeSettings) -> "Upstreams":
        return cls(
            settings.upstreams,
            connect_timeout=settings.upstream_connect_timeout_seconds,
            read_timeout=settings.upstream_read_timeout_seconds,
            pool_size=settings.upstream_pool_size,
            retries=settings.upstream_retries,
            retry_backoff_seconds=settings.upstream_retry_backoff_seconds,
            retry_buffer_bytes=settings.upstream_retry_buffer_bytes,
            failure_threshold=settings.circuit_failure_threshold,
            open_seconds=settings.circuit_open_seconds,
        )

    @property
    def clients(self) -> dict[str, httpx.AsyncClient]:
        """Each upstream's httpx client, for the gateway's own calls."""
        return {name: upstream.client for name, upstream in self.upstreams.items()}

    def get(self, name: str) -> Upstream | None:
        return self.upstreams.get(name)

    def readiness_checks(self) -> dict[str, ReadinessCheck]:
        """``upstream:<name>`` → its check, for ``app.state.readiness_checks``."""
        return {f"upstream:{name}": u.readiness for name, u in self.upstreams.items()}

    async def aclose(self) -> None:
        for upstream in self.upstreams.values():
            await upstream.aclose()
