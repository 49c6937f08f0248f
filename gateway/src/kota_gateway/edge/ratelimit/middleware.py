"""The rate-limit middleware: spends the caller's budget, adds ``RateLimit-*``, or answers 429.

Answers carry ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` and
``RateLimit-Policy`` (draft-ietf-httpapi-ratelimit-headers); a refusal is a 429
problem+json with ``Retry-After``. A storage that fails lets the request through (fail
open), logged at most every 30 seconds and counted.
"""

import logging
import math
import time
from collections.abc import Sequence

from prometheus_client import Counter
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kota_gateway.edge.ratelimit.limiter import RateLimits
from kota_gateway.edge.ratelimit.policy import Decision, route_class
from kota_gateway.edge.ratelimit.subjects import Subjects
from kota_gateway.messages import _
from kota_shared.problems import Problem, render_problem

_log = logging.getLogger(__name__)

RATE_LIMITED = Counter(
    "kota_gateway_rate_limited_total", "Requests refused with 429, per route class", ["route_class"]
)
STORAGE_ERRORS = Counter(
    "kota_gateway_rate_limit_storage_errors_total",
    "Rate-limit checks skipped because the storage failed (the request went through)",
)


class TooManyRequests(Problem):
    status = 429
    code = "rate_limited"
    title = _("Too many requests. Please wait a moment and try again.")


class RateLimitMiddleware:
    """Plain ASGI: spends the subject's budget, adds ``RateLimit-*``, or answers 429.

    Reads ``app.state.rate_limits`` (a `RateLimits`, built in the lifespan) and
    ``app.state.token_verifier``; without the former it lets everything through.
    """

    def __init__(self, app: ASGIApp, *, trusted_proxies: Sequence[str] = ()) -> None:
        self.app = app
        self.subjects = Subjects(trusted_proxies)
        self._last_storage_warning = -math.inf

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        budget = route_class(scope["method"], scope["path"])
        state = scope["app"].state
        limits: RateLimits | None = getattr(state, "rate_limits", None)
        if budget is None or limits is None:
            await self.app(scope, receive, send)
            return
        subject = await self.subjects.of(scope, budget, getattr(state, "token_verifier", None))
        try:
            decision = await limits.hit(budget, subject)
        except Exception as exc:  # the storage failed: fail open, loudly but not per request
            STORAGE_ERRORS.inc()
            now = time.monotonic()
            if now - self._last_storage_warning > 30:
                self._last_storage_warning = now
                _log.warning("rate limits not enforced: storage failed: %r", exc)
            decision = None
        if decision is None:
            await self.app(scope, receive, send)
            return
        headers = decision.headers()
        if not decision.allowed:
            RATE_LIMITED.labels(budget).inc()
            await self._refuse(scope, receive, send, decision, headers)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    async def _refuse(
        scope: Scope,
        receive: Receive,
        send: Send,
        decision: Decision,
        headers: list[tuple[bytes, bytes]],
    ) -> None:
        response = render_problem(
            Request(scope),
            TooManyRequests(
                _(
                    "The limit is {limit} requests per {window} seconds; "
                    "try again in {seconds} seconds.",
                    limit=decision.limit,
                    window=decision.window_seconds,
                    seconds=decision.reset_seconds,
                ),
                headers={
                    "Retry-After": str(decision.reset_seconds),
                    **{name.decode(): value.decode() for name, value in headers},
                },
            ),
        )
        await response(scope, receive, send)
