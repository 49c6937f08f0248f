"""httpx's client interface over aiohttp's connection pool, for the proxy's upstreams.

The gateway benchmark showed httpcore's pool spending ~40% of the gateway's CPU per request
on bookkeeping (it rescans every pooled connection for every request, encode/httpcore#1035).
aiohttp's connector keeps idle connections in a queue per host. Everything above the
transport (requests, streaming, timeouts, the proxy's retry and breaker rules) stays httpx,
so this module's one job is to translate, including aiohttp's errors into the httpx errors
the proxy's rules are written against:

- a refused or reset connection before anything was sent → ``httpx.ConnectError`` (the one
  case the proxy may retry);
- no connection in time → ``httpx.ConnectTimeout``; no answer in time → ``httpx.ReadTimeout``;
- anything else after the request may have left → ``httpx.RemoteProtocolError`` / ``ReadError``.
"""

from collections.abc import AsyncIterator

import aiohttp
import httpx


class _Body(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise httpx.ReadError(str(exc)) from exc

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """One aiohttp session (one keep-alive pool) per upstream, made on first use."""

    def __init__(self, *, pool_size: int, keepalive_seconds: float = 4.0) -> None:
        # Below the services' own keep-alive (uvicorn closes idle connections after 5 s), so
        # the gateway never sends on a connection the service is about to close.
        self._pool_size = pool_size
        self._keepalive_seconds = keepalive_seconds
        self._session: aiohttp.ClientSession | None = None

    def _open_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, keepalive_timeout=self._keepalive_seconds
            )
            # No cookie jar: a proxy must not carry one caller's cookies to the next.
            self._session = aiohttp.ClientSession(
                connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False
            )
            # aiohttp would resend an idempotent request once when the upstream hangs up;
            # the proxy decides retries itself (only when the request provably never left),
            # so that switch, which aiohttp exposes only to its own test client, is off.
            self._session._retry_connection = False
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout", {})
        body: bytes | httpx.AsyncByteStream | None
        headers = request.headers.copy()
        try:
            body = request.content or None
        except httpx.RequestNotRead:
            body = request.stream  # type: ignore[assignment]
            headers.pop("transfer-encoding", None)  # aiohttp frames a streamed body itself
        try:
            response = await self._open_session().request(
                request.method,
                str(request.url),
                headers=headers.multi_items(),
                data=body,
                allow_redirects=False,
                skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    sock_connect=timeouts.get("connect"),
                    sock_read=timeouts.get("read"),
                ),
            )
        except aiohttp.ConnectionTimeoutError as exc:
            raise httpx.ConnectTimeout(str(exc), request=request) from exc
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except (TimeoutError, aiohttp.SocketTimeoutError) as exc:
            raise httpx.ReadTimeout(str(exc), request=request) from exc
        except aiohttp.ClientError as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        return httpx.Response(
            response.status,
            headers=[(k, v) for k, v in response.raw_headers],
            stream=_Body(response),
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
