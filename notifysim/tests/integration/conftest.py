"""The simulator under uvicorn in the test's event loop, spoken to over real HTTP as the
information service speaks to its providers, calling back receivers that verify every
signature. Its receipt deliveries run in this event loop too, so a test can see them."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from notifysim_harness import SMS_SECRET, WHATSAPP_SECRET, Simulator, StartSimulator

from kota_notifysim.config import NotifysimSettings
from kota_notifysim.main import create_app
from kota_shared.clock import Clock, system_clock
from kota_shared.testing.servers import serve_app
from kota_shared.testing.webhooks import WebhookReceiver, serve_receiver


@pytest.fixture
async def sms_receiver() -> AsyncIterator[WebhookReceiver]:
    async with serve_receiver(SMS_SECRET) as receiver:
        yield receiver


@pytest.fixture
async def whatsapp_receiver() -> AsyncIterator[WebhookReceiver]:
    async with serve_receiver(WHATSAPP_SECRET) as receiver:
        yield receiver


@pytest.fixture
def start_simulator(
    sms_receiver: WebhookReceiver, whatsapp_receiver: WebhookReceiver
) -> StartSimulator:
    """Serve a simulator that calls the receivers back, with fast retries."""

    @asynccontextmanager
    async def start(
        *, clock: Clock = system_clock, sleep: Any = asyncio.sleep, **overrides: Any
    ) -> AsyncIterator[Simulator]:
        fast: dict[str, Any] = {
            "sms_receipt_url": sms_receiver.url,
            "sms_webhook_secret": SMS_SECRET,
            "whatsapp_receipt_url": whatsapp_receiver.url,
            "whatsapp_webhook_secret": WHATSAPP_SECRET,
            "retry_initial_seconds": 0.01,
            "retry_max_seconds": 0.05,
        }
        settings = NotifysimSettings(**(fast | overrides))
        async with (
            serve_app(create_app(settings, clock=clock, sleep=sleep)) as url,
            httpx.AsyncClient(base_url=url) as client,
        ):
            yield Simulator(client)

    return start


@pytest.fixture
async def simulator(start_simulator: StartSimulator) -> AsyncIterator[Simulator]:
    async with start_simulator() as running:
        yield running
