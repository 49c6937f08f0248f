"""The SMS and WhatsApp provider simulator's ASGI app: two stand-in providers for development
and tests.

Never deployed. It takes sends as an SMS gateway (``POST /sms/v1/messages``) and as
WhatsApp's Cloud API (``POST /whatsapp/{version}/{phone_number_id}/messages``) do, answers
with their ids, and then POSTs each message's delivery receipts, signed per Standard
Webhooks, to the receipt URL of its provider, retried until answered. ``/control`` tells
it how a number fares or that a provider is down; ``/messages`` (and the page at ``/``)
shows what it sent. Run it with::

    uv run python -m kota_notifysim          # http://127.0.0.1:8092

Then, for example::

    curl -X POST localhost:8092/sms/v1/messages -H 'authorization: Bearer notifysim-dev-sms-key' \\
         -H 'content-type: application/json' \\
         -d '{"to": "+6281234567890", "text": "Izin Anda disetujui.", "reference": "n-1"}'
    curl 'localhost:8092/messages?to=%2B6281234567890'
    curl -X PUT localhost:8092/control/numbers/+6281234567890 \\
         -H 'content-type: application/json' -d '{"fate": "permanent_failure"}'

docs/notifysim.md describes every call, answer and receipt. State lives in memory and is
lost at restart.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kota_notifysim.config import NotifysimSettings
from kota_notifysim.control_router import router as control_router
from kota_notifysim.controls import Controls
from kota_notifysim.delivery import TASK_NAME_PREFIX, ReceiptCourier, ReceiptEndpoint, Sleep
from kota_notifysim.errors import install_error_handlers
from kota_notifysim.inbox import Channel, Inbox
from kota_notifysim.inbox_router import router as inbox_router
from kota_notifysim.receipts import BusinessNumber
from kota_notifysim.sending import Simulator
from kota_notifysim.sms_router import router as sms_router
from kota_notifysim.sms_schemas import DeliveryReport
from kota_notifysim.templates import Templates
from kota_notifysim.whatsapp_router import router as whatsapp_router
from kota_notifysim.whatsapp_schemas import StatusWebhook
from kota_shared.backoff import Backoff
from kota_shared.clock import Clock, system_clock
from kota_shared.simulators import add_probes, configure_logging
from kota_shared.webhooks import Courier, WebhookSender

ATTEMPT_TIMEOUT_SECONDS = 10.0
STATIC = Path(__file__).parent / "static"


def create_app(
    settings: NotifysimSettings | None = None,
    *,
    clock: Clock = system_clock,
    sleep: Sleep = asyncio.sleep,
) -> FastAPI:
    """``clock`` stamps messages and the times receipts report; ``sleep`` is how a receipt
    waits out its delay. Tests move the one and hold the other."""
    settings = settings or NotifysimSettings()
    configure_logging("kota_notifysim", settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=ATTEMPT_TIMEOUT_SECONDS) as client:
            inbox = Inbox(size=settings.inbox_size)
            courier = Courier(
                backoff=Backoff(
                    first_seconds=settings.retry_initial_seconds,
                    max_seconds=settings.retry_max_seconds,
                ),
                task_name_prefix=TASK_NAME_PREFIX,
                log=logging.getLogger("kota_notifysim.delivery"),
            )
            endpoints: dict[Channel, ReceiptEndpoint] = {
                "sms": ReceiptEndpoint(
                    url=settings.sms_receipt_url,
                    sender=WebhookSender(client=client, secret=settings.sms_webhook_secret),
                ),
                "whatsapp": ReceiptEndpoint(
                    url=settings.whatsapp_receipt_url,
                    sender=WebhookSender(client=client, secret=settings.whatsapp_webhook_secret),
                ),
            }
            receipts = ReceiptCourier(
                inbox=inbox,
                courier=courier,
                endpoints=endpoints,
                business=BusinessNumber(
                    business_account_id=settings.whatsapp_business_account_id,
                    phone_number_id=settings.whatsapp_phone_number_id,
                    display_phone_number=settings.whatsapp_display_phone_number,
                ),
                clock=clock,
                sleep=sleep,
            )
            app.state.simulator = Simulator(
                settings=settings,
                inbox=inbox,
                controls=Controls(),
                templates=Templates(),
                receipts=receipts,
                clock=clock,
            )
            try:
                yield
            finally:
                await courier.cancel_all()

    app = FastAPI(
        title="Kota LIVE SMS and WhatsApp provider simulator",
        description="An SMS gateway and WhatsApp's Cloud API, with signed delivery receipts, "
        "controls and a readable inbox. Never deployed.",
        lifespan=lifespan,
        redirect_slashes=False,
    )
    install_error_handlers(app)
    app.include_router(sms_router)
    app.include_router(whatsapp_router)
    app.include_router(inbox_router)
    app.include_router(control_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _document_receipts(app)
    add_probes(app)
    return app


def _document_receipts(app: FastAPI) -> None:
    """The receipts it POSTs, as OpenAPI webhooks, so /docs shows their shapes too."""

    @app.webhooks.post("sms-delivery-report")
    def sms_delivery_report(body: DeliveryReport) -> None:
        """POSTed to ``NOTIFYSIM_SMS_RECEIPT_URL`` once per accepted SMS, signed per
        Standard Webhooks with ``NOTIFYSIM_SMS_WEBHOOK_SECRET``; answer 2xx."""

    @app.webhooks.post("whatsapp-status")
    def whatsapp_status(body: StatusWebhook) -> None:
        """POSTed to ``NOTIFYSIM_WHATSAPP_RECEIPT_URL`` per status of a message, in order,
        signed per Standard Webhooks with ``NOTIFYSIM_WHATSAPP_WEBHOOK_SECRET``; answer 2xx."""
