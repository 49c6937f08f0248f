"""The payments service's ASGI app (``uvicorn payments.main:create_app --factory``)."""

from fastapi import FastAPI

from kota_shared.app import ServiceDefinition, create_service_app
from payments.config import PaymentsSettings
from payments.invoices.router import router as invoices_router
from payments.models import EVENT_TABLES


def create_app(settings: PaymentsSettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceDefinition(
            settings=settings or PaymentsSettings(),
            title="Kota LIVE payments",
            description="Invoices, payment channels (VA, QRIS), provider callbacks and refunds.",
            migrations="payments:migrations",
            routers=[invoices_router],
            event_tables=EVENT_TABLES,
        )
    )
