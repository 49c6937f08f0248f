"""Reverse proxy: ``/v1/<service>/...`` to the service's internal URL, streamed both ways.

One pooled keep-alive client per upstream. Hop-by-hop headers are dropped (RFC 9110
§7.6.1), ``X-Forwarded-*`` added, ``X-Request-ID`` passed on and the trace continued, so a
request can be followed from the app to the database.

Resilience, per upstream:

- **Timeouts**: connect and read, from the settings.
- **Retries** only where sending twice cannot do harm and cannot be a surprise: an
  idempotent method (RFC 9110 §9.2.2), a body we still hold (none, or small enough to have
  been buffered), and a connection that was refused or reset before the request left
  (``httpx.ConnectError``). Never after a response, never on a timeout (a read timeout may
  mean the work was done; a connect timeout retried would double the wait a client sees),
  never for POST or PATCH. At most ``upstream_retries`` times, after a jittered pause.
- **A circuit breaker** (`kota_gateway.breaker`) counts refused connections, timeouts and
  502/503/504 answers. Open, it answers 503 problem+json at once with ``Retry-After`` set to
  the time left, so a dead service costs its callers nothing but a round trip to us.
"""

import asyncio
import math
import random
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import APIRouter, Request
from prometheus_client import Counter, Gauge
from starlette.background import BackgroundTask
from starlette.responses import Response, StreamingResponse

from kota_gateway.breaker import FAILING_STATUSES, BreakerState, CircuitBreaker, CircuitOpen
from kota_gateway.config import GatewaySettings
from kota_gateway.upstream_transport import AiohttpTransport
from kota_shared import tracing
from kota_shared.health import ReadinessCheck
from kota_shared.problems import NotFound, Problem, ServiceUnavailable

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",  # recomputed by whoever frames the body next
    }
)
TRACE_HEADERS = frozenset({"traceparent", "tracestate"})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_AFTER_SECONDS = 5
"""What a client is told to wait after a failure that did not open the circuit."""

CIRCUIT_STATE = Gauge(
    "kota_gateway_upstream_circuit_state",
    "Circuit breaker of each upstream: 0 closed, 1 half-open, 2 open",
    ["upstream"],
)
_STATE_VALUES = {BreakerState.CLOSED: 0, BreakerState.HALF_OPEN: 1, BreakerState.OPEN: 2}
UPSTREAM_FAILURES = Counter(
    "kota_gateway_upstream_failures_total",
    "Proxied requests that failed, by reason (connect, timeout, status, circuit_open)",
    ["upstream", "reason"],
)
UPSTREAM_RETRIES = Counter(
    "kota_gateway_upstream_retries_total",
    "Idempotent requests sent again after a refused or reset connection",
    ["upstream"],
)


def _record_state(upstream: str, state: BreakerState) -> None:
    CIRCUIT_STATE.labels(upstream).set(_STATE_VALUES[state])


class GatewayTimeout(Problem):
    status = 504
    code = "gateway_timeout"
    title_en = "The service took too long to answer. Please try again shortly."
    title_id = "Layanan terlalu lama merespons. Silakan coba beberapa saat lagi."


SMALL_BODY_BYTES = 64 * 1024
"""Responses up to this size are relayed whole; larger or unsized ones are streamed."""


class UpstreamNotReady(RuntimeError):
    """An upstream's readiness as the gateway sees it, with its circuit in the message."""


@dataclass
class Upstream:
    """One internal service: its pooled client, its breaker and how to retry."""

    name: str
    client: httpx.AsyncClient
    breaker: CircuitBreaker
    retries: int
    retry_backoff_seconds: float

    async def open(
        self,
        method: str,
        target: str,
        *,
        headers: list[tuple[str, str]],
        content: bytes | AsyncIterator[bytes],
        replayable: bool,
    ) -> httpx.Response:
        """Send the request and return the response with its body not yet read."""
        attempt = 0
        while True:
            request = self.client.build_request(method, target, headers=headers, content=content)
            try:
                return await self.client.send(request, stream=True)
            except httpx.ConnectError:
                # Refused or reset while connecting: the request provably never left.
                if not replayable or attempt >= self.retries:
                    raise
            attempt += 1
            UPSTREAM_RETRIES.labels(self.name).inc()
            pause = self.retry_backoff_seconds * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
            await asyncio.sleep(pause)

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


class Upstreams:
    """The internal services, each with a pooled HTTP client and a circuit breaker."""

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
        timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self.urls = dict(urls)
        self.retry_buffer_bytes = retry_buffer_bytes
        self.clients = {
            name: httpx.AsyncClient(
                base_url=url, timeout=timeout, transport=AiohttpTransport(pool_size=pool_size)
            )
            for name, url in urls.items()
        }
        self.upstreams = {
            name: Upstream(
                name=name,
                client=client,
                breaker=CircuitBreaker(
                    name,
                    failure_threshold=failure_threshold,
                    open_seconds=open_seconds,
                    clock=clock,
                    on_change=_record_state,
                ),
                retries=retries,
                retry_backoff_seconds=retry_backoff_seconds,
            )
            for name, client in self.clients.items()
        }

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> "Upstreams":
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

    def get(self, name: str) -> Upstream | None:
        return self.upstreams.get(name)

    def readiness_checks(self) -> dict[str, ReadinessCheck]:
        """``upstream:<name>`` → its check, for ``app.state.readiness_checks``."""
        return {f"upstream:{name}": u.readiness for name, u in self.upstreams.items()}

    async def aclose(self) -> None:
        for client in self.clients.values():
            await client.aclose()


def _forward_headers(request: Request) -> list[tuple[str, str]]:
    connection_tokens = {
        token.strip().lower() for token in request.headers.get("connection", "").split(",")
    }
    headers = [
        (name, value)
        for name, value in request.headers.items()
        if name not in HOP_BY_HOP
        and name not in connection_tokens
        and name not in TRACE_HEADERS
        and not name.startswith("x-forwarded-")
    ]
    client_host = request.client.host if request.client else ""
    prior = request.headers.get("x-forwarded-for")
    headers += [
        ("x-forwarded-for", f"{prior}, {client_host}" if prior else client_host),
        ("x-forwarded-proto", request.url.scheme),
        ("x-forwarded-host", request.headers.get("host", "")),
    ]
    headers += list(tracing.inject_headers().items())
    return headers


def _response_headers(response: httpx.Response) -> dict[str, str]:
    connection_tokens = {
        token.strip().lower() for token in response.headers.get("connection", "").split(",")
    }
    return {
        name: value
        for name, value in response.headers.multi_items()
        if name.lower() not in HOP_BY_HOP
        and name.lower() not in connection_tokens
        and name.lower() != "x-request-id"  # ours is the same id, set by our middleware
    }


async def _outgoing_body(
    request: Request, *, buffer_limit: int
) -> tuple[bytes | AsyncIterator[bytes], bool]:
    """The body to send upstream, and whether the request may be sent a second time.

    A streamed body cannot be replayed, so only an idempotent request whose body is empty
    or small (and so held in memory) is replayable; anything else streams through untouched.
    """
    length = request.headers.get("content-length")
    chunked = "transfer-encoding" in request.headers
    if not chunked and (length is None or length.strip() == "0"):
        return b"", request.method in IDEMPOTENT_METHODS
    if (
        request.method in IDEMPOTENT_METHODS
        and not chunked
        and length is not None
        and length.strip().isdigit()
        and int(length) <= buffer_limit
    ):
        return await request.body(), True
    return request.stream(), False


def _unavailable(service: str, *, retry_after: float, circuit: BreakerState) -> Problem:
    return ServiceUnavailable(
        f"The {service} service is not answering right now.",
        headers={"Retry-After": str(max(1, math.ceil(retry_after)))},
        upstream=service,
        circuit=str(circuit),
    )


def _after_failure(upstream: Upstream) -> tuple[float, BreakerState]:
    snapshot = upstream.breaker.snapshot()
    if snapshot.state is BreakerState.OPEN:
        return snapshot.retry_after, snapshot.state
    return RETRY_AFTER_SECONDS, snapshot.state


router = APIRouter()


@router.api_route(
    "/v1/{service}/{path:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
    include_in_schema=False,
)
async def forward(service: str, path: str, request: Request) -> Response:
    """Who may call: anyone; each service checks the token itself."""
    upstreams: Upstreams = request.app.state.upstreams
    upstream = upstreams.get(service)
    if upstream is None:
        raise NotFound(f"There is no service called '{service}'.")
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    target = raw_path.decode("latin-1")
    if request.url.query:
        target += "?" + request.url.query
    try:
        admission = upstream.breaker.admit()
    except CircuitOpen as exc:
        UPSTREAM_FAILURES.labels(service, "circuit_open").inc()
        raise _unavailable(service, retry_after=exc.retry_after, circuit=BreakerState.OPEN) from exc
    try:
        content, replayable = await _outgoing_body(
            request, buffer_limit=upstreams.retry_buffer_bytes
        )
        upstream_response = await upstream.open(
            request.method,
            target,
            headers=_forward_headers(request),
            content=content,
            replayable=replayable,
        )
        small_body = await _small_body(upstream_response)
    except httpx.TimeoutException as exc:
        upstream.breaker.failed(admission)
        UPSTREAM_FAILURES.labels(service, "timeout").inc()
        retry_after, circuit = _after_failure(upstream)
        if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout):
            raise GatewayTimeout(
                f"The {service} service did not answer in time.",
                headers={"Retry-After": str(max(1, math.ceil(retry_after)))},
                upstream=service,
                circuit=str(circuit),
            ) from exc
        raise _unavailable(service, retry_after=retry_after, circuit=circuit) from exc
    except httpx.TransportError as exc:
        upstream.breaker.failed(admission)
        UPSTREAM_FAILURES.labels(service, "connect").inc()
        retry_after, circuit = _after_failure(upstream)
        raise _unavailable(service, retry_after=retry_after, circuit=circuit) from exc
    except BaseException:
        # Not the upstream's doing (the client went away, its body was too large, ...).
        upstream.breaker.abandoned(admission)
        raise
    if upstream_response.status_code in FAILING_STATUSES:
        upstream.breaker.failed(admission)
        UPSTREAM_FAILURES.labels(service, "status").inc()
    else:
        upstream.breaker.succeeded(admission)
    if small_body is not None:
        return Response(
            small_body,
            status_code=upstream_response.status_code,
            headers=_response_headers(upstream_response),
        )
    return StreamingResponse(
        upstream_response.aiter_raw(),
        status_code=upstream_response.status_code,
        headers=_response_headers(upstream_response),
        background=BackgroundTask(upstream_response.aclose),
    )


async def _small_body(response: httpx.Response) -> bytes | None:
    """The whole body when the upstream announced a small one, else None (to stream).

    Most API answers are a few KB: relaying them in one piece skips the per-response task
    and chunked framing that streaming costs, which the gateway benchmark showed is about a
    sixth of the gateway's CPU per request. Raw bytes, so content encoding is kept.
    """
    length = response.headers.get("content-length", "")
    if not (length.isdigit() and int(length) <= SMALL_BODY_BYTES):
        return None
    try:
        chunks = [chunk async for chunk in response.aiter_raw()]
    finally:
        await response.aclose()
    return b"".join(chunks)
