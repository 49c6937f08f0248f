"""Tokens of revoked agency clients are refused at the edge, before any service sees them.

The identity provider keeps ``app.state.revoked_clients``, the ``sub`` of every revoked
client, refreshed every few seconds (`kota_gateway.identity.clients.revocations`, which
says why this rather than shorter tokens). A request whose bearer token names one gets a
401 ``client_revoked``, whatever it asks for.

The token's ``sub`` is read without checking its signature: this only ever refuses, and a
forged token would be refused by the service anyway. Nothing is decoded while no client is
revoked, and nothing for requests without a bearer token.
"""

import base64
import binascii
import json
from collections.abc import Container

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from kota_gateway.messages import _
from kota_shared.problems import Unauthorized, render_problem


class ClientRevoked(Unauthorized):
    code = "client_revoked"
    title = _("This agency client has been revoked; its tokens no longer work.")


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _space, token = bytes(value).partition(b" ")
            if scheme.lower() == b"bearer":
                return token.strip().decode("latin-1")
    return None


def unverified_subject(token: str) -> str | None:
    """The ``sub`` a JWT claims, without checking anything (None if it is no JWT)."""
    parts = token.split(".")
    if len(parts) != 3 or len(parts[1]) > 8192:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError, RecursionError):
        return None
    subject: object = payload.get("sub") if isinstance(payload, dict) else None
    return subject if isinstance(subject, str) else None


class RevokedClientsMiddleware:
    """Plain ASGI: refuses requests bearing a token of a revoked agency client."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        revoked: Container[str] | None = None
        if scope["type"] == "http":
            revoked = getattr(scope["app"].state, "revoked_clients", None)
        token = _bearer(scope) if revoked else None  # empty: nobody to refuse
        if revoked is not None and token is not None and unverified_subject(token) in revoked:
            problem = ClientRevoked(_("Ask the city for a new agency client."))
            await render_problem(Request(scope), problem)(scope, receive, send)
            return
        await self.app(scope, receive, send)
