"""``Content-Language`` and ``Vary: Accept-Language`` on every answer (RFC 9110 §8.5, §12.5.5).

An answer's messages depend on the caller's ``Accept-Language``, so a shared cache must key
it by that header (``Vary``), and a client learns which language it got
(``Content-Language``). Only what is missing is added: an answer relayed by the gateway
already carries its service's, and keeps them.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kota_shared.i18n.negotiation import negotiate

ACCEPT_LANGUAGE = b"accept-language"


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _with_vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    vary = _header(headers, b"vary")
    if vary is None:
        return [*headers, (b"vary", b"Accept-Language")]
    named = {part.strip().lower() for part in vary.split(b",")}
    if ACCEPT_LANGUAGE in named or b"*" in named:
        return headers
    return [
        (key, value + b", Accept-Language" if key.lower() == b"vary" else value)
        for key, value in headers
    ]


class LanguageHeadersMiddleware:
    """Plain ASGI: marks each HTTP answer with the language negotiated for its request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        asked = _header(list(scope["headers"]), ACCEPT_LANGUAGE)
        language = negotiate(asked.decode("latin-1") if asked is not None else None).encode()

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = _with_vary(list(message.get("headers", [])))
                if _header(headers, b"content-language") is None:
                    headers.append((b"content-language", language))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_marked)
