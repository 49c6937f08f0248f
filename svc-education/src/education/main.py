"""The education service's ASGI app (``uvicorn education.main:create_app --factory``)."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from education.admission.period import AdmissionPeriod
from education.admission.router import router as admission_router
from education.config import EducationSettings
from education.db import EVENT_TABLES, IDEMPOTENCY_KEYS
from education.families.source import FamilyCards, GatewayFamilyCards
from education.registrations.router import router as registrations_router
from education.registrations.school_router import router as school_registrations_router
from education.schools.router import router as schools_router
from kota_shared.app import Extension, ServiceDefinition, ServiceRuntime, create_service_app
from kota_shared.clock import Clock, system_clock

_log = logging.getLogger(__name__)


def _education_resources(
    settings: EducationSettings, period: AdmissionPeriod, family_cards: FamilyCards | None
) -> Extension:
    @asynccontextmanager
    async def resources(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        app.state.admission_period = period  # read by education.dependencies.Period
        # Read by education.families.dependencies.CallersFamilyCard.
        app.state.family_cards = family_cards or GatewayFamilyCards(
            url=settings.family_card_url,
            client=runtime.http,
            timeout_seconds=settings.family_card_timeout_seconds,
        )
        # Said once at start, since unset settings take defaults from the day it started.
        _log.info(
            "admission %s: registration %s to %s (%s), ages counted on %s",
            period.year,
            period.opens_on,
            period.closes_on,
            period.timezone,
            period.age_reference_date,
        )
        yield

    return resources


def create_app(
    settings: EducationSettings | None = None,
    *,
    clock: Clock = system_clock,
    family_cards: FamilyCards | None = None,
) -> FastAPI:
    """The app; tests pass their own ``clock`` to move time instead of waiting, and may
    point ``family_cards`` at another gateway than the settings' URL."""
    settings = settings or EducationSettings()
    period = settings.admission_period(now=clock())
    return create_service_app(
        ServiceDefinition(
            settings=settings,
            title="Kota LIVE education",
            description="Schools, admission periods, pathways and quotas, applications, results.",
            migrations="education:migrations",
            routers=[
                schools_router,
                school_registrations_router,
                admission_router,
                registrations_router,
            ],
            event_tables=EVENT_TABLES,
            idempotency_keys=IDEMPOTENCY_KEYS,
            extension=_education_resources(settings, period, family_cards),
            clock=clock,
        )
    )
