"""The payment provider simulator's ASGI app: a stand-in bank for development and tests.

Never deployed. It pays virtual accounts and QRIS codes when told to, then calls the payments
service back the way a gateway would: a signed ``payment.settled`` callback, retried until
acknowledged. Run it with::

    PAYSIM_CALLBACK_URL=http://127.0.0.1:8004/v1/payments/callbacks/paysim \\
    PAYSIM_WEBHOOK_SECRET=whsec_... \\
    uvicorn kota_paysim.main:create_app --factory --port 8090

Then, for example::

    curl -X POST localhost:8090/simulator/va/8808123456789012/payments \\
         -H 'content-type: application/json' -d '{"amount": 150000}'
    curl -X POST localhost:8090/simulator/qris/payments \\
         -H 'content-type: application/json' -d '{"payload": "000201010212...6304ABCD"}'
    curl localhost:8090/simulator/transactions/SIM-20250102-0A1B2C3D4E
    curl -X POST localhost:8090/simulator/transactions/SIM-20250102-0A1B2C3D4E/redeliver \\
         -H 'content-type: application/json' -d '{"times": 5, "concurrently": true}'
    curl localhost:8090/simulator/statements/2025-01-02.csv

``"notify": false`` settles without calling back: the payment shows on the statement only,
as when a provider's callback is lost. The callback body is ``{"type": "payment.settled",
"provider_transaction_id", "channel", "reference", "amount", "currency": "IDR", "paid_at"}``
with the ``webhook-id`` (one per payment), ``webhook-timestamp`` (this attempt) and
``webhook-signature`` (``v1,<base64>``) headers of Standard Webhooks; verify it with
``standardwebhooks.Webhook(secret).verify(raw_body, headers)``. A 2xx acknowledges it; a 4xx
other than 408 and 429 refuses it for good; anything else is retried with capped exponential
backoff. State lives in memory and is lost at restart.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from kota_paysim.config import PaysimSettings
from kota_paysim.delivery import TASK_NAME_PREFIX, CallbackCourier
from kota_paysim.ledger import Clock, Ledger, utc_now
from kota_paysim.problems import install_problem_handlers
from kota_paysim.router import router
from kota_shared.backoff import Backoff
from kota_shared.simulators import add_probes, configure_logging
from kota_shared.webhooks import Courier, WebhookSender

ATTEMPT_TIMEOUT_SECONDS = 10.0


def create_app(settings: PaysimSettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    """``clock`` stamps ``paid_at``; tests move it to settle payments on other days."""
    settings = settings or PaysimSettings()
    configure_logging("kota_paysim", settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ledger = Ledger(timezone=settings.timezone, clock=clock)
        async with httpx.AsyncClient(timeout=ATTEMPT_TIMEOUT_SECONDS) as client:
            courier = Courier(
                backoff=Backoff(
                    first_seconds=settings.retry_initial_seconds,
                    max_seconds=settings.retry_max_seconds,
                ),
                task_name_prefix=TASK_NAME_PREFIX,
                log=logging.getLogger("kota_paysim.delivery"),
            )
            app.state.ledger = ledger
            app.state.courier = CallbackCourier(
                ledger=ledger,
                sender=WebhookSender(client=client, secret=settings.webhook_secret),
                url=settings.callback_url,
                courier=courier,
            )
            try:
                yield
            finally:
                await courier.cancel_all()

    app = FastAPI(
        title="Kota LIVE payment provider simulator",
        description="Pays VAs and QRIS and calls the payments service back. Never deployed.",
        lifespan=lifespan,
        redirect_slashes=False,
    )
    install_problem_handlers(app)
    app.include_router(router)

    add_probes(app)
    return app
