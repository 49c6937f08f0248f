"""Security headers on every answer of every service (installed by `create_service_app`).

- ``X-Content-Type-Options: nosniff``: a browser takes a JSON answer for JSON, never for a
  script or a page it guessed from the bytes.
- ``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'``: no page can frame ours
  (``/docs`` included), so no click-jacking. An answer that brings its own
  ``Content-Security-Policy`` keeps it, with ``frame-ancestors 'none'`` added if it has none.
- ``Cache-Control: no-store`` on the answer to a request that carried credentials
  (``Authorization``): such answers hold personal data, which neither the phone's cache nor a
  shared proxy may keep. An answer that sets its own ``Cache-Control`` keeps it.

Only what is missing is added, so an answer relayed by the gateway (which already has them
from its service) does not carry them twice. The ``Server`` header is not the app's to
remove: the servers are started with ``--no-server-header`` (see `kota_dev.processes`).
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRAME_ANCESTORS = b"frame-ancestors 'none'"
ALWAYS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
)
NO_STORE = (b"cache-control", b"no-store")


def _has(headers: list[tuple[bytes, bytes]], name: bytes) -> bool:
    return any(key.lower() == name for key, _ in headers)


def _with_frame_ancestors(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    if not _has(headers, b"content-security-policy"):
        return [*headers, (b"content-security-policy", FRAME_ANCESTORS)]
    secured = []
    for key, value in headers:
        if key.lower() == b"content-security-policy" and b"frame-ancestors" not in value.lower():
            value = value.rstrip(b"; ") + b"; " + FRAME_ANCESTORS
        secured.append((key, value))
    return secured


class SecurityHeadersMiddleware:
    """Plain ASGI: adds the headers above to each HTTP answer that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        credentials = any(key == b"authorization" for key, _ in scope["headers"])

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = _with_frame_ancestors(list(message.get("headers", [])))
                headers += [header for header in ALWAYS if not _has(headers, header[0])]
                if credentials and not _has(headers, NO_STORE[0]):
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_secured)
