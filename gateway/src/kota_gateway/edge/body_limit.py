"""The largest request body the gateway accepts: 413 problem+json beyond it.

A declared ``Content-Length`` over the limit is refused before a byte of the body is read
(a client sending ``Expect: 100-continue`` never uploads it). A body without a length
(chunked) is counted as it streams; the moment it passes the limit, reading stops with
`PayloadTooLarge`, which also aborts a proxied upstream request mid-body (the upstream sees
its client disconnect and acts on nothing), and the caller gets the 413.
"""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kota_shared.bodies import body_too_large
from kota_shared.problems import PayloadTooLarge, render_problem

__all__ = ["BodyLimitMiddleware", "PayloadTooLarge"]


class BodyLimitMiddleware:
    """Plain ASGI: enforces ``max_bytes`` on every HTTP request body."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return

        received = 0
        exceeded = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise body_too_large(self.max_bytes)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if exceeded and not response_started:
                # Whatever the app made of the interrupted body (FastAPI calls it a 400),
                # the answer is ours.
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded or response_started:
                raise
        if exceeded and not response_started:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The client may still be sending: don't keep reading its body on this connection.
        refusal = body_too_large(self.max_bytes, headers={"Connection": "close"})
        response = render_problem(Request(scope), refusal)
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server rejects a malformed length before we ever see it
    return None
