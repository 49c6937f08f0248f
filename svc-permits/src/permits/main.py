"""The permits service's ASGI app (``uvicorn permits.main:create_app --factory``)."""

from fastapi import FastAPI

from kota_shared.app import ServiceDefinition, create_service_app
from permits.applications.router import router as applications_router
from permits.config import PermitsSettings
from permits.models import EVENT_TABLES


def create_app(settings: PermitsSettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceDefinition(
            settings=settings or PermitsSettings(),
            title="Kota LIVE permits",
            description="Permit applications, review, issuance and public verification.",
            migrations="permits:migrations",
            routers=[applications_router],
            event_tables=EVENT_TABLES,
        )
    )
