"""What the simulator's integration tests share: the requests the information service
sends, a client that sends them, and a sleep the tests hold."""

import asyncio
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

import httpx

from kota_notifysim.config import DEV_SMS_API_KEY, DEV_WHATSAPP_ACCESS_TOKEN
from kota_notifysim.delivery import TASK_NAME_PREFIX
from kota_shared.testing.waiting import eventually

SMS_SECRET = "whsec_bm90aWZ5c2ltLXNtcy1pbnRlZ3JhdGlvbi10ZXN0"
WHATSAPP_SECRET = "whsec_bm90aWZ5c2ltLXdhLWludGVncmF0aW9uLXRlc3Q="
NUMBER = "+6281234567890"
PHONE_NUMBER_ID = "109876543210001"
BUSINESS_ACCOUNT_ID = "109876543210000"
SMS_AUTH = {"authorization": f"Bearer {DEV_SMS_API_KEY}"}
WHATSAPP_AUTH = {"authorization": f"Bearer {DEV_WHATSAPP_ACCESS_TOKEN}"}
MESSAGES = f"/whatsapp/v23.0/{PHONE_NUMBER_ID}/messages"
TEMPLATES = f"/whatsapp/v23.0/{BUSINESS_ACCOUNT_ID}/message_templates"


def template_message(
    *parameters: str, to: str = NUMBER, name: str = "izin_disetujui", **fields: Any
) -> dict[str, Any]:
    """A Cloud API template send, exactly as Meta documents it."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": "id"},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}
            ],
        },
        **fields,
    }


class HeldSleep:
    """Stands in for the receipts' delay: notes how long each wait was asked to be, and
    holds every one until the test lets them go."""

    def __init__(self) -> None:
        self.requested: list[float] = []
        self._release = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.requested.append(seconds)
        await self._release.wait()

    def release(self) -> None:
        self._release.set()


@dataclass
class Simulator:
    client: httpx.AsyncClient

    async def sms(self, to: str = NUMBER, text: str = "Halo", **fields: Any) -> httpx.Response:
        body = {"to": to, "text": text, **fields}
        return await self.client.post("/sms/v1/messages", json=body, headers=SMS_AUTH)

    async def whatsapp(self, *parameters: str, **fields: Any) -> httpx.Response:
        body = template_message(*parameters, **fields)
        return await self.client.post(MESSAGES, json=body, headers=WHATSAPP_AUTH)

    async def message(self, message_id: str) -> dict[str, Any]:
        answer = await self.client.get(f"/messages/{message_id}")
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    async def settled(self, message_id: str) -> dict[str, Any]:
        """The message once every planned receipt was sent and answered."""

        async def probe() -> dict[str, Any]:
            return await self.message(message_id)

        return await eventually(
            probe,
            until=lambda m: (
                len(m["receipts"]) == len(m["planned_receipts"])
                and all(r["answered"] for r in m["receipts"])
            ),
            within=10,
            what=f"the receipts of {message_id}",
        )

    async def control(self, number: str = NUMBER, **controls: Any) -> None:
        answer = await self.client.put(f"/control/numbers/{number}", json=controls)
        assert answer.status_code == 200, answer.text


StartSimulator = Callable[..., AbstractAsyncContextManager[Simulator]]


async def receipt_tasks(message_id: str = "") -> list[asyncio.Task[Any]]:
    """The simulator's receipt deliveries (of one message), running in this event loop."""
    prefix = TASK_NAME_PREFIX + message_id
    return [t for t in asyncio.all_tasks() if t.get_name().startswith(prefix)]
