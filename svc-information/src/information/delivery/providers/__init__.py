"""The providers that carry messages beyond the inbox, behind one interface: one adapter per
provider shape (a WhatsApp Cloud API template message, a plain SMS gateway).

An adapter turns a send into the provider's request and its answer into one of four
outcomes, which is all the dispatcher needs to know:

- `Accepted`: the provider took it; its receipt will tell the rest.
- `Refused`: the provider will never take it (an invalid number, an unknown template): not
  retried, the citizen's next channel is tried.
- `Unavailable`: the provider did not take it this time (down, 5xx, too many requests, the
  connection refused): retried with back-off.
- `InDoubt`: the request left and no answer came (a read timeout, a dropped connection).
  Neither provider deduplicates a send, so it is never sent again: the receipt, which
  carries our message id as its ``reference``, tells what became of it, or the next channel
  is tried when no receipt comes in time.

Each adapter also reads its provider's delivery receipts (the signature is checked before,
by the router) into `Receipt`s.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from information.delivery.statuses import MessageStatus
from information.preferences.models import Channel
from information.rendering import Rendered

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    reference: str
    """Our message id: sent along, so the provider's receipts name it."""
    to: str
    """E.164, read from identity for this send and forgotten after it."""
    rendered: Rendered


@dataclass(frozen=True)
class Accepted:
    provider_message_id: str
    segments: int | None = None


class SendFailed(Exception):
    """A send the provider did not take; ``code`` says why, in a few words (stored)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code[:64]


class Refused(SendFailed):
    pass


class Unavailable(SendFailed):
    pass


class InDoubt(SendFailed):
    pass


@dataclass(frozen=True)
class Receipt:
    """One delivery receipt, in our words."""

    provider_message_id: str
    reference: str | None
    status: MessageStatus
    error_code: str | None = None


class Provider(Protocol):
    channel: Channel

    async def send(self, message: Outgoing) -> Accepted:
        """Hand ``message`` over; raise `Refused`, `Unavailable` or `InDoubt` if not taken."""
        ...

    def read_receipts(self, body: bytes) -> Sequence[Receipt]:
        """The receipts in a (verified) webhook body; a pydantic ``ValidationError`` if it
        is not one."""
        ...


RETRY_LATER_STATUSES = frozenset({408, 429})
CREDENTIALS_REFUSED = frozenset({401, 403})


async def post(
    http: httpx.AsyncClient,
    url: str,
    *,
    json: dict[str, Any],
    token: str,
    timeout_seconds: float,
    channel: Channel,
) -> httpx.Response:
    """POST ``json`` with a bearer ``token``; a request that never reached the provider is
    `Unavailable`, one that may have is `InDoubt`, and an answer that asks to retry (5xx,
    408, 429) or that refuses our credentials (fixed by an operator, not by the message)
    is `Unavailable`. Any other answer is returned."""
    try:
        response = await http.post(
            url, json=json, headers={"Authorization": f"Bearer {token}"}, timeout=timeout_seconds
        )
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise Unavailable("unreachable") from exc
    except httpx.TransportError as exc:  # sent, or partly: it may have arrived
        raise InDoubt("no_answer") from exc
    status = response.status_code
    if status in CREDENTIALS_REFUSED:
        _log.error(
            "the %s provider refuses our credentials (%d): check the settings", channel, status
        )
        raise Unavailable(f"http_{status}")
    if status >= 500 or status in RETRY_LATER_STATUSES:
        raise Unavailable(f"http_{status}")
    return response
