"""The gateway's edge middleware: what every request passes, in this order.

``install_edge_middleware`` puts, inside the shared `ObservabilityMiddleware` (and the
security headers outside it) and in this order: CORS, the refusal of revoked agency
clients' tokens, rate limits, body size limit, and innermost the proxy
(`kota_gateway.edge.proxy`), which relays requests for the services and passes the rest on
to the gateway's own routes. Inside observability, so that a 429 or a 413 has a request
id, a trace, a metric and an access-log line like any other answer. CORS first, so a
browser can read a 401, 429 or 413 (they carry the CORS headers too) and a preflight is
answered without spending the caller's budget. A revoked client's token is refused before
it spends any budget (it is cheap to tell). Rate limits before the body limit: a caller
over its budget is turned away before we read anything it sends.
"""

from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from kota_gateway.edge.body_limit import BodyLimitMiddleware
from kota_gateway.edge.proxy import ProxyMiddleware
from kota_gateway.edge.ratelimit.middleware import RateLimitMiddleware
from kota_gateway.edge.revocations import RevokedClientsMiddleware
from kota_gateway.edge.settings import EdgeSettings

CORS_ALLOWED_HEADERS = [
    "Authorization",
    "Content-Type",
    "Accept-Language",
    "Idempotency-Key",
    "X-Request-ID",
    "traceparent",
    "tracestate",
]
CORS_EXPOSED_HEADERS = [
    "X-Request-ID",
    "Location",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "RateLimit-Policy",
]


def edge_middleware(settings: EdgeSettings) -> list[Middleware]:
    """The gateway's own middleware, outermost first (see the module's docstring)."""
    edge = []
    if settings.cors_origins:
        edge.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                allow_headers=CORS_ALLOWED_HEADERS,
                expose_headers=CORS_EXPOSED_HEADERS,
                allow_credentials=False,  # bearer tokens, never cookies
                max_age=600,
            )
        )
    edge.append(Middleware(RevokedClientsMiddleware))
    if settings.rate_limits_enabled:
        edge.append(Middleware(RateLimitMiddleware, trusted_proxies=settings.trusted_proxies))
    edge.append(Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes))
    edge.append(Middleware(ProxyMiddleware))
    return edge


def install_edge_middleware(app: FastAPI, settings: EdgeSettings) -> None:
    """Add the edge middleware inside what `create_service_app` installed.

    Starlette wraps ``user_middleware`` first-outermost; ``add_middleware`` would put ours
    outside observability, so they are appended instead.
    """
    if app.middleware_stack is not None:
        raise RuntimeError("the middleware must be installed before the app starts")
    app.user_middleware.extend(edge_middleware(settings))
