"""The payments service's ASGI app (``uvicorn payments.main:create_app --factory``)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI

from kota_contracts.permits import TOPIC as PERMITS_TOPIC
from kota_contracts.permits import ApplicationApproved
from kota_shared.app import Extension, ServiceDefinition, ServiceRuntime, create_service_app
from kota_shared.clock import Clock, system_clock
from kota_shared.events.consumer import EventConsumer, on
from kota_shared.periodic import every
from kota_shared.transaction import Transaction
from kota_shared.webhook_verification import CallbackVerifier
from payments import expiry
from payments.channels.for_invoices import ChannelMaker, channel_maker
from payments.config import PaymentsSettings
from payments.db import EVENT_TABLES, IDEMPOTENCY_KEYS
from payments.finance.router import router as finance_router
from payments.invoices.handlers import permit_fee_handler
from payments.invoices.router import router as invoices_router
from payments.refunds.router import router as refunds_router
from payments.settlement.router import router as settlement_router


def _resources(settings: PaymentsSettings, channels: ChannelMaker) -> Extension:
    @asynccontextmanager
    async def resources(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        assert runtime.outbox is not None  # payments publishes events
        app.state.channels = channels
        app.state.callback_verifier = CallbackVerifier(
            [secret.get_secret_value() for secret in settings.callback_secrets]
        )

        runtime.supervisor.start(
            "invoice-expiry",
            every(
                settings.expiry_sweep_seconds,
                partial(
                    expiry.sweep,
                    runtime.sessionmaker,
                    outbox=runtime.outbox,
                    clock=runtime.clock,
                    settings=settings,
                ),
            ),
        )
        yield

    return resources


def create_app(settings: PaymentsSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    """The app; tests pass their own ``clock`` to move time instead of waiting."""
    settings = settings or PaymentsSettings()
    # Checks the QRIS merchant configuration at start, not at the first invoice.
    channels = channel_maker(settings.qris_merchant(), va_bank_prefix=settings.va_bank_prefix)

    def consumers(runtime: ServiceRuntime) -> list[EventConsumer[Transaction]]:
        return [
            EventConsumer(
                name="payments.permit-fees",
                topics=[PERMITS_TOPIC],
                bootstrap_servers=settings.kafka_bootstrap_servers,
                security=settings.kafka_security,
                sessionmaker=runtime.sessionmaker,
                tables=EVENT_TABLES,
                context=runtime.transaction,
                subscriptions=[
                    on(
                        ApplicationApproved,
                        permit_fee_handler(channels, due_days=settings.invoice_due_days),
                    )
                ],
            )
        ]

    return create_service_app(
        ServiceDefinition(
            settings=settings,
            title="Kota LIVE payments",
            description=(
                "Invoices with their payment channels (virtual account, QRIS), the payment "
                "provider's signed settlement callbacks, refunds, a double-entry ledger and "
                "reconciliation against the provider's statement."
            ),
            migrations="payments:migrations",
            routers=[invoices_router, refunds_router, settlement_router, finance_router],
            event_tables=EVENT_TABLES,
            consumers=consumers,
            extension=_resources(settings, channels),
            idempotency_keys=IDEMPOTENCY_KEYS,
            clock=clock,
        )
    )
