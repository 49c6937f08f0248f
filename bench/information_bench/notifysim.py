"""The provider simulator (notifysim) as a process of its own: its settings, its inbox read
back (what each send carried, and when it was taken), and its state reset between runs.

Its receipts go either to the information service's receipt URL (``--receipts service``:
the service verifies and applies each delivery report while it dispatches) or nowhere
(``--receipts none``, the default: every receipt is held back a day, so none is sent during
the run and both the dispatcher and the bare loop measure the send path alone)."""

import asyncio
import base64
import secrets
from dataclasses import dataclass
from typing import Any

import httpx

from .apps import App

FACTORY = "kota_notifysim.main:create_app"
HELD_BACK_SECONDS = 86_400.0


@dataclass(frozen=True)
class Simulator:
    app: App
    api_key: str
    webhook_secret: str

    @property
    def sms_url(self) -> str:
        return self.app.url + "/sms/v1/messages"


def credentials() -> tuple[str, str]:
    """An API key and a Standard Webhooks secret (``whsec_`` and base64 of 24 bytes)."""
    return secrets.token_urlsafe(18), "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def settings(
    *, api_key: str, webhook_secret: str, receipt_url: str | None, inbox_size: int, log_level: str
) -> dict[str, str]:
    """``receipt_url`` None: receipts held back past the run."""
    values = {
        "sms_api_key": api_key,
        "sms_webhook_secret": webhook_secret,
        "inbox_size": str(inbox_size),
        "log_level": log_level,
    }
    if receipt_url is None:
        return {**values, "receipt_delay_seconds": str(HELD_BACK_SECONDS)}
    return {**values, "sms_receipt_url": receipt_url}


async def sent(
    simulator: Simulator, message_ids: list[str], *, connections: int = 8
) -> dict[str, dict[str, Any]]:
    """The messages the simulator took, by its id for each, as its inbox shows them."""
    found: dict[str, dict[str, Any]] = {}
    pending = iter(message_ids)
    async with httpx.AsyncClient(base_url=simulator.app.url, timeout=30) as client:

        async def reader() -> None:
            for message_id in pending:  # shared by every reader
                response = await client.get(f"/messages/{message_id}")
                response.raise_for_status()
                found[message_id] = response.json()

        await asyncio.gather(*(reader() for _ in range(connections)))
    return found


async def reset(simulator: Simulator) -> None:
    """Its inbox and the receipts it still owes forgotten."""
    async with httpx.AsyncClient(timeout=30) as client:
        (await client.post(simulator.app.url + "/control/reset")).raise_for_status()


async def withhold_receipts(
    simulator: Simulator, numbers: list[str], *, connections: int = 8
) -> None:
    """No receipt for these numbers' next sends (the bare loop's, once the service is gone)."""
    pending = iter(numbers)
    async with httpx.AsyncClient(base_url=simulator.app.url, timeout=30) as client:

        async def controller() -> None:
            for number in pending:
                response = await client.put(
                    f"/control/numbers/{number}", json={"withhold_receipts": True}
                )
                response.raise_for_status()

        await asyncio.gather(*(controller() for _ in range(connections)))
