"""The health service's ASGI app (``uvicorn health.main:create_app --factory``)."""

from fastapi import FastAPI

from health.config import HealthSettings
from health.facilities.router import router as facilities_router
from health.models import EVENT_TABLES
from kota_shared.app import ServiceDefinition, create_service_app


def create_app(settings: HealthSettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceDefinition(
            settings=settings or HealthSettings(),
            title="Kota LIVE health",
            description="Health facilities, practitioners, schedules, appointments and queues.",
            migrations="health:migrations",
            routers=[facilities_router],
            event_tables=EVENT_TABLES,
        )
    )
