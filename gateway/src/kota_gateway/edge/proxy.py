"""Reverse proxy: ``/v1/<service>/...`` to the service's internal URL, streamed both ways.

Hop-by-hop headers are dropped (RFC 9110 §7.6.1), and so are the upstream's ``Date`` and
``Server`` (our own server sends a ``Date`` and no ``Server``); ``X-Forwarded-*`` are added,
``X-Request-ID`` passed on and the trace continued, so a request can be followed from the app
to the database.

`ProxyMiddleware` is the innermost of the gateway's middleware: a request for a configured
upstream is relayed from there, in plain ASGI, and never reaches FastAPI's router, whose
route matching and dependency solving cost more than the relay itself (the gateway
benchmark's profile). Everything outside it (request id, trace, metrics, access log, CORS,
rate limits, body limit) applies as to any other request; anything else goes on to the app.

Each upstream has a circuit breaker (`kota_gateway.edge.breaker`) counting refused connections,
timeouts and 502/503/504 answers. Open, it answers 503 problem+json at once with
``Retry-After`` set to the time left, so a dead service costs its callers nothing but a
round trip to us. Retries are `Upstream.send`'s rule.
"""

import math
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

import aiohttp
from prometheus_client import Counter
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from kota_gateway.edge.breaker import FAILING_STATUSES, Admission, BreakerState, CircuitOpen
from kota_gateway.edge.service_names import the_service
from kota_gateway.edge.upstreams import Upstream, Upstreams
from kota_gateway.messages import _
from kota_shared import tracing
from kota_shared.problems import Problem, ServiceUnavailable, render_problem

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
SERVER_HEADERS = frozenset({"date", "server"})
"""Our own server writes ``Date`` (and no ``Server``): the upstream's would come twice."""
TRACE_HEADERS = frozenset({"traceparent", "tracestate"})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_AFTER_SECONDS = 5
"""What a client is told to wait after a failure that did not open the circuit."""
SMALL_BODY_BYTES = 64 * 1024
"""Responses up to this size are relayed whole; larger or unsized ones are streamed."""

UPSTREAM_FAILURES = Counter(
    "kota_gateway_upstream_failures_total",
    "Proxied requests that failed, by reason (connect, timeout, status, circuit_open)",
    ["upstream", "reason"],
)


class GatewayTimeout(Problem):
    status = 504
    code = "gateway_timeout"
    title = _("The service took too long to answer. Please try again shortly.")


class ProxiedRoute:
    """Stands in ``scope["route"]`` for a relayed request, so metrics and the access log
    name the upstream (``/v1/health/{path}``), as they name a FastAPI route by its template."""

    def __init__(self, path: str) -> None:
        self.path = path


class ProxyMiddleware:
    """Plain ASGI: relays requests for ``app.state.upstreams``; passes on everything else.

    Who may call: anyone; each service checks the token itself.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._routes: dict[str, ProxiedRoute] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        upstream = _upstream_for(scope) if scope["type"] == "http" else None
        if upstream is None:
            await self.app(scope, receive, send)
            return
        scope["route"] = self._routes.setdefault(upstream.name, ProxiedRoute(upstream.route_label))
        request = Request(scope, receive)
        upstreams: Upstreams = scope["app"].state.upstreams
        try:
            response = await _forward(request, upstream, buffer_limit=upstreams.retry_buffer_bytes)
        except Problem as problem:
            await render_problem(request, problem)(scope, receive, send)
            return
        await _relay(response, scope, receive, send)


def _upstream_for(scope: Scope) -> Upstream | None:
    """The upstream a ``/v1/<name>/...`` path names, if it is one of ours."""
    path: str = scope["path"]
    if not path.startswith("/v1/"):
        return None
    name, slash, _rest = path[4:].partition("/")
    upstreams: Upstreams | None = getattr(scope["app"].state, "upstreams", None)
    return upstreams.get(name) if slash and upstreams is not None else None


class _CallerBody:
    """The caller's body, streamed upstream; remembers when reading it failed.

    aiohttp writes the body from a task of its own and reports any failure as a connection
    error, which would otherwise count against the upstream's circuit. A caller who went away
    or sent too much is not the upstream's fault, and the error to raise is the caller's.
    """

    def __init__(self, request: Request) -> None:
        self._request = request
        self.failure: Exception | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._request.stream():
                if chunk:
                    yield chunk
        except Exception as exc:  # not GeneratorExit: aiohttp closing the body is no failure
            self.failure = exc
            raise


async def _outgoing_body(
    request: Request, *, buffer_limit: int
) -> tuple[bytes | _CallerBody | None, bool]:
    """The body to send upstream, and whether the request may be sent a second time.

    A streamed body cannot be replayed, so only an idempotent request whose body is empty
    or small (and so held in memory) is replayable; anything else streams through untouched.
    """
    length = request.headers.get("content-length")
    chunked = "transfer-encoding" in request.headers
    idempotent = request.method in IDEMPOTENT_METHODS
    if not chunked and (length is None or length.strip() == "0"):
        return None, idempotent
    declared = int(length) if length is not None and length.strip().isdigit() else None
    if idempotent and not chunked and declared is not None and declared <= buffer_limit:
        return await request.body(), True
    return _CallerBody(request), False


def _connection_tokens(values: Iterable[str]) -> set[str]:
    return {token.strip().lower() for value in values for token in value.split(",")}


def _forward_headers(request: Request) -> list[tuple[str, str]]:
    headers = request.headers
    dropped = _connection_tokens(headers.getlist("connection"))
    forwarded = [
        (name, value)
        for name, value in headers.items()
        if name not in HOP_BY_HOP
        and name not in dropped
        and name not in TRACE_HEADERS
        and not name.startswith("x-forwarded-")
    ]
    client_host = request.client.host if request.client else ""
    prior = headers.get("x-forwarded-for")
    forwarded += [
        ("x-forwarded-for", f"{prior}, {client_host}" if prior else client_host),
        ("x-forwarded-proto", request.url.scheme),
        ("x-forwarded-host", headers.get("host", "")),
        *tracing.inject_headers().items(),
    ]
    return forwarded


def _target(scope: Scope) -> str:
    """The raw path and query, as the caller encoded them."""
    target = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
    query: bytes = scope.get("query_string", b"")
    return f"{target}?{query.decode('latin-1')}" if query else target


def _unavailable(service: str, *, retry_after: float, circuit: BreakerState) -> Problem:
    return ServiceUnavailable(
        _("{service} is not answering right now.", service=the_service(service)),
        headers={"Retry-After": str(max(1, math.ceil(retry_after)))},
        upstream=service,
        circuit=str(circuit),
    )


def _after_failure(upstream: Upstream) -> tuple[float, BreakerState]:
    snapshot = upstream.breaker.snapshot()
    if snapshot.state is BreakerState.OPEN:
        return snapshot.retry_after, snapshot.state
    return RETRY_AFTER_SECONDS, snapshot.state


def _failure(
    upstream: Upstream, admission: Admission, exc: aiohttp.ClientError | TimeoutError
) -> Problem:
    """Count the failure against the upstream and say what the caller is told."""
    upstream.breaker.failed(admission)
    timed_out = isinstance(exc, TimeoutError)
    UPSTREAM_FAILURES.labels(upstream.name, "timeout" if timed_out else "connect").inc()
    retry_after, circuit = _after_failure(upstream)
    if timed_out and not isinstance(exc, aiohttp.ConnectionTimeoutError):
        return GatewayTimeout(
            _("{service} did not answer in time.", service=the_service(upstream.name)),
            headers={"Retry-After": str(max(1, math.ceil(retry_after)))},
            upstream=upstream.name,
            circuit=str(circuit),
        )
    return _unavailable(upstream.name, retry_after=retry_after, circuit=circuit)


@dataclass(frozen=True)
class _Answer:
    """The upstream's answer, and its body when small enough to have been read whole."""

    response: aiohttp.ClientResponse
    body: bytes | None


async def _forward(request: Request, upstream: Upstream, *, buffer_limit: int) -> _Answer:
    """Send the request upstream through its breaker; raise the Problem the caller gets."""
    try:
        admission = upstream.breaker.admit()
    except CircuitOpen as exc:
        UPSTREAM_FAILURES.labels(upstream.name, "circuit_open").inc()
        raise _unavailable(
            upstream.name, retry_after=exc.retry_after, circuit=BreakerState.OPEN
        ) from exc
    body: bytes | _CallerBody | None = None
    try:
        body, replayable = await _outgoing_body(request, buffer_limit=buffer_limit)
        response = await upstream.send(
            request.method,
            _target(request.scope),
            headers=_forward_headers(request),
            body=body,
            replayable=replayable,
        )
        small_body = await _small_body(response, head=request.method == "HEAD")
    except (aiohttp.ClientError, TimeoutError) as exc:
        if isinstance(body, _CallerBody) and body.failure is not None:
            upstream.breaker.abandoned(admission)
            raise body.failure from exc
        raise _failure(upstream, admission, exc) from exc
    except BaseException:
        # Not the upstream's doing (the client went away, its body was too large, ...).
        upstream.breaker.abandoned(admission)
        raise
    if response.status in FAILING_STATUSES:
        upstream.breaker.failed(admission)
        UPSTREAM_FAILURES.labels(upstream.name, "status").inc()
    else:
        upstream.breaker.succeeded(admission)
    return _Answer(response, small_body)


async def _small_body(response: aiohttp.ClientResponse, *, head: bool) -> bytes | None:
    """The whole body when the upstream announced a small one, else None (to stream).

    Most API answers are a few KB: relaying them in one piece skips the per-response task
    and chunked framing that streaming costs. Raw bytes, so content encoding is kept.
    """
    if head:
        response.release()
        return b""
    length = response.content_length
    if length is None or length > SMALL_BODY_BYTES:
        return None
    try:
        return await response.read()
    finally:
        response.release()


def _response_headers(response: aiohttp.ClientResponse) -> list[tuple[bytes, bytes]]:
    dropped = _connection_tokens(response.headers.getall("connection", ()))
    return [
        (name, value)
        for name, value in response.raw_headers
        if (lowered := name.decode("latin-1").lower()) not in HOP_BY_HOP
        and lowered not in SERVER_HEADERS
        and lowered not in dropped
        and lowered != "x-request-id"  # ours is the same id, set by the observability middleware
    ]


async def _relay(answer: _Answer, scope: Scope, receive: Receive, send: Send) -> None:
    """Send the upstream's answer to the caller: in one piece if small, else streamed."""
    response = answer.response
    headers = _response_headers(response)
    if answer.body is None:
        streamed = StreamingResponse(
            response.content.iter_any(),
            status_code=response.status,
            background=BackgroundTask(response.release),
        )
        streamed.raw_headers = headers
        await streamed(scope, receive, send)
        return
    if scope["method"] == "HEAD" and response.content_length is not None:
        length = response.content_length  # what a GET would have carried
    else:
        length = len(answer.body)
    headers.append((b"content-length", str(length).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
