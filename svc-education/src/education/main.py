"""The education service's ASGI app (``uvicorn education.main:create_app --factory``)."""

from fastapi import FastAPI

from education.config import EducationSettings
from education.models import EVENT_TABLES
from education.schools.router import router as schools_router
from kota_shared.app import ServiceDefinition, create_service_app


def create_app(settings: EducationSettings | None = None) -> FastAPI:
    return create_service_app(
        ServiceDefinition(
            settings=settings or EducationSettings(),
            title="Kota LIVE education",
            description="Schools, admission periods, pathways and quotas, applications, results.",
            migrations="education:migrations",
            routers=[schools_router],
            event_tables=EVENT_TABLES,
        )
    )
