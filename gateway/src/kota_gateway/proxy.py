"""Reverse proxy: ``/v1/<service>/...`` to the service's internal URL, streamed both ways.

One pooled keep-alive client per upstream. Hop-by-hop headers are dropped (RFC 9110
§7.6.1), ``X-Forwarded-*`` added, ``X-Request-ID`` passed on and the trace continued, so a
request can be followed from the app to the database.
"""

from collections.abc import Mapping

import httpx
from fastapi import APIRouter, Request
from starlette.background import BackgroundTask
from starlette.responses import StreamingResponse

from kota_shared import tracing
from kota_shared.problems import NotFound, ServiceUnavailable

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


class Upstreams:
    """The internal services and a pooled HTTP client for each."""

    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        connect_timeout: float,
        read_timeout: float,
        pool_size: int,
    ) -> None:
        timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        limits = httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size)
        self.urls = dict(urls)
        self.clients = {
            name: httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits)
            for name, url in urls.items()
        }

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


router = APIRouter()


@router.api_route(
    "/v1/{service}/{path:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
    include_in_schema=False,
)
async def forward(service: str, path: str, request: Request) -> StreamingResponse:
    """Who may call: anyone; each service checks the token itself."""
    upstreams: Upstreams = request.app.state.upstreams
    client = upstreams.clients.get(service)
    if client is None:
        raise NotFound(f"There is no service called '{service}'.")
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    target = raw_path.decode("latin-1")
    if request.url.query:
        target += "?" + request.url.query
    upstream_request = client.build_request(
        request.method,
        target,
        headers=_forward_headers(request),
        content=request.stream(),
    )
    try:
        upstream_response = await client.send(upstream_request, stream=True)
    except httpx.TransportError as exc:
        raise ServiceUnavailable(
            f"The {service} service is not answering right now.",
            headers={"Retry-After": "5"},
        ) from exc
    return StreamingResponse(
        upstream_response.aiter_raw(),
        status_code=upstream_response.status_code,
        headers=_response_headers(upstream_response),
        background=BackgroundTask(upstream_response.aclose),
    )
