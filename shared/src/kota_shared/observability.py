"""Per-request observability: request id, trace span, Prometheus metrics and an access log.

One plain ASGI middleware does all four so each request pays for one wrapper, not four.
"""

import logging
import re
import time
import uuid
from typing import Any

from opentelemetry.trace import SpanKind
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kota_shared import tracing
from kota_shared.logging import request_id_var

_log = logging.getLogger("kota.access")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_PROPAGATED = frozenset({b"traceparent", b"tracestate", b"baggage"})
"""The headers OpenTelemetry's default propagators read (W3C trace context and baggage)."""

REQUESTS = Counter(
    "kota_http_requests_total", "HTTP requests served", ["service", "method", "route", "status"]
)
LATENCY = Histogram(
    "kota_http_request_duration_seconds",
    "Time to serve an HTTP request",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = (
            incoming if incoming and _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        )
        if request_id != incoming:
            # Downstream code (the gateway's proxy, problem documents) reads it from the headers.
            scope["headers"] = [
                *(h for h in scope["headers"] if h[0] != b"x-request-id"),
                (b"x-request-id", request_id.encode()),
            ]
        token = request_id_var.set(request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        trace_headers = {
            k.decode("latin-1"): v.decode("latin-1")
            for k, v in scope["headers"]
            if k in _PROPAGATED
        }
        try:
            with tracing.span_from_headers(
                f"{scope['method']} {scope['path']}", trace_headers, SpanKind.SERVER
            ):
                await self.app(scope, receive, send_with_request_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            REQUESTS.labels(self.service, scope["method"], route, str(status)).inc()
            LATENCY.labels(self.service, scope["method"], route).observe(elapsed)
            if route not in ("/livez", "/readyz", "/metrics"):
                _log.info(
                    "%s %s %d",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={"status": status, "duration_ms": round(elapsed * 1000, 2)},
                )
            request_id_var.reset(token)


def _route_template(scope: Scope) -> str:
    """The matched route's template, so metrics don't get one series per record id."""
    route: Any = scope.get("route")
    return str(route.path) if route is not None and hasattr(route, "path") else "unmatched"


async def metrics_endpoint(_: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
