"""A receiver of signed webhooks for tests: it verifies each one, keeps it, and answers as
the test tells it to, served over real HTTP in the test's event loop."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request, Response
from standardwebhooks import Webhook, WebhookVerificationError

from kota_shared.testing.servers import serve_app

PATH = "/webhooks"


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    payload: Any
    """The verified JSON body; None when the signature did not verify (answered 401)."""


class WebhookReceiver:
    """Plays the service a provider calls back: verifies with ``secret``, records, answers
    ``status``, or ``failure_status`` while ``failures_left`` lasts."""

    def __init__(self, secret: str) -> None:
        self.url = ""
        self.received: list[Received] = []
        self.failures_left = 0
        self.failure_status = 500
        self.status = 200
        self._webhook = Webhook(secret)
        self._holding_for = 0
        self._held = 0
        self._release = asyncio.Event()
        self._release.set()
        self.app = FastAPI()
        self.app.post(PATH)(self._receive)

    @property
    def payloads(self) -> list[Any]:
        """The verified bodies, in the order they arrived."""
        return [r.payload for r in self.received if r.payload is not None]

    def hold_until_in_flight(self, count: int) -> None:
        """Keep requests waiting until ``count`` are in flight together: proves concurrency."""
        self._holding_for, self._held = count, 0
        self._release.clear()

    async def _receive(self, request: Request) -> Response:
        body = await request.body()
        headers = dict(request.headers)
        try:
            payload = self._webhook.verify(body, headers)
        except WebhookVerificationError:
            payload = None
        self.received.append(Received(headers, body, payload))
        if not self._release.is_set():
            self._held += 1
            if self._held >= self._holding_for:
                self._release.set()
            await self._release.wait()
        if payload is None:
            return Response(status_code=401)
        if self.failures_left:
            self.failures_left -= 1
            return Response(status_code=self.failure_status)
        return Response(status_code=self.status)


@asynccontextmanager
async def serve_receiver(secret: str) -> AsyncIterator[WebhookReceiver]:
    """A `WebhookReceiver` listening at its ``url`` for the ``async with`` block."""
    receiver = WebhookReceiver(secret)
    async with serve_app(receiver.app) as base_url:
        receiver.url = base_url + PATH
        yield receiver
