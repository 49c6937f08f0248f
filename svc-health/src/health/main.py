"""The health service's ASGI app (``uvicorn health.main:create_app --factory``)."""

from fastapi import APIRouter, FastAPI

from health.bookings.queue_router import router as queue_router
from health.bookings.router import router as bookings_router
from health.config import HealthSettings
from health.db import EVENT_TABLES, IDEMPOTENCY_KEYS
from health.facilities.router import router as facilities_router
from kota_shared.app import ServiceDefinition, create_service_app
from kota_shared.clock import Clock, system_clock

ROUTERS: list[APIRouter] = [facilities_router, queue_router, bookings_router]
"""Every router of the API, in the order the app includes them."""


def create_app(settings: HealthSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    """The app; tests pass their own ``clock`` to move time instead of waiting."""
    return create_service_app(
        ServiceDefinition(
            settings=settings or HealthSettings(),
            title="Kota LIVE health",
            description=(
                "Health facilities and their polyclinic services, bookings with queue "
                "numbers (nomor antrian), and the clinics' daily queues."
            ),
            migrations="health:migrations",
            routers=ROUTERS,
            event_tables=EVENT_TABLES,
            idempotency_keys=IDEMPOTENCY_KEYS,
            clock=clock,
        )
    )
