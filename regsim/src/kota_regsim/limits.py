"""The largest request body the simulator reads: 413 beyond it, before the app parses it.

A declared ``Content-Length`` over the limit is refused unread; a body without one (chunked)
is counted as it streams, and refused the moment it passes the limit. Dukcapil's calls have
their own, small limit and are refused in Dukcapil's shape; the control API gets a problem.
"""

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kota_regsim.problems import Problem

DUKCAPIL_PREFIX = "/dukcapil/"
TOO_LARGE = "Ukuran permintaan melebihi batas"


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Plain ASGI: ``dukcapil_bytes`` for ``/dukcapil/...``, ``other_bytes`` elsewhere."""

    def __init__(self, app: ASGIApp, *, dukcapil_bytes: int, other_bytes: int) -> None:
        self.app = app
        self.dukcapil_bytes = dukcapil_bytes
        self.other_bytes = other_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        dukcapil = str(scope["path"]).startswith(DUKCAPIL_PREFIX)
        limit = self.dukcapil_bytes if dukcapil else self.other_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refusal(dukcapil=dukcapil, limit=limit)(scope, receive, send)
            return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                # Whatever the app made of the interrupted body (FastAPI calls it a 400),
                # the answer is ours.
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded or started:
                raise
        if exceeded and not started:
            await _refusal(dukcapil=dukcapil, limit=limit)(scope, receive, send)


def _refusal(*, dukcapil: bool, limit: int) -> JSONResponse:
    # The client may still be sending: don't keep reading its body on this connection.
    headers = {"Connection": "close"}
    if dukcapil:
        return JSONResponse({"RESPON": TOO_LARGE}, status_code=413, headers=headers)
    detail = f"the body is larger than {limit} bytes"
    return Problem(status=413, code="payload_too_large", detail=detail).response(headers=headers)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
