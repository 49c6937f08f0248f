"""The permits service's ASGI app (``uvicorn permits.main:create_app --factory``)."""

import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from kota_contracts.payments import TOPIC as PAYMENTS_TOPIC
from kota_contracts.payments import InvoiceCreated, InvoiceExpired, InvoicePaid
from kota_shared.app import Extension, ServiceDefinition, ServiceRuntime, create_service_app
from kota_shared.clock import Clock, system_clock
from kota_shared.events.consumer import EventConsumer, on
from kota_shared.periodic import every
from permits.applications import deadlines, payment_outcomes
from permits.applications.queue_router import router as queue_router
from permits.applications.router import router as applications_router
from permits.calendar import WorkingCalendar
from permits.catalogue.router import router as catalogue_router
from permits.config import PermitsSettings
from permits.db import EVENT_TABLES, IDEMPOTENCY_KEYS
from permits.documents.router import router as documents_router
from permits.documents.service import Documents
from permits.documents.storage import storage_from_settings
from permits.issuance.router import router as issuance_router
from permits.issuance.verification import VerificationCodes, VerificationLinks
from permits.transaction import PermitsTransaction


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def _background_transactions(
    runtime: ServiceRuntime,
    calendar: WorkingCalendar,
    verification: VerificationLinks,
    settings: PermitsSettings,
) -> Callable[[AsyncSession], PermitsTransaction]:
    """The transaction of a consumed event or a sweep's batch, at the runtime's clock."""

    def begin(session: AsyncSession) -> PermitsTransaction:
        return PermitsTransaction.extending(
            runtime.transaction(session),
            calendar=calendar,
            city_code=settings.city_code,
            max_open_drafts=settings.max_open_drafts,
            verification=verification,
        )

    return begin


def _permits_resources(
    settings: PermitsSettings, calendar: WorkingCalendar, verification: VerificationLinks
) -> Extension:
    @asynccontextmanager
    async def resources(app: FastAPI, runtime: ServiceRuntime) -> AsyncIterator[None]:
        app.state.calendar = calendar
        app.state.verification_codes = verification.codes
        app.state.verification_links = verification
        storage = storage_from_settings(
            settings.documents_location,
            s3_endpoint_url=settings.documents_s3_endpoint_url,
            s3_region=settings.documents_s3_region,
            s3_access_key_id=_secret(settings.documents_s3_access_key_id),
            s3_secret_access_key=_secret(settings.documents_s3_secret_access_key),
        )
        staging = Path(tempfile.mkdtemp(prefix="kota-permits-uploads-"))
        app.state.documents = Documents(
            sessionmaker=runtime.sessionmaker,
            context=runtime.transaction,
            storage=storage,
            staging=staging,
            max_bytes=settings.document_max_bytes,
            max_per_application=settings.max_documents_per_application,
            max_bytes_per_account=settings.max_document_bytes_per_account,
        )
        runtime.supervisor.start(
            "deadline-sweep",
            every(
                settings.deadline_sweep_seconds,
                partial(
                    deadlines.sweep,
                    runtime.sessionmaker,
                    context=_background_transactions(runtime, calendar, verification, settings),
                ),
            ),
        )
        try:
            yield
        finally:
            await storage.close()
            shutil.rmtree(staging, ignore_errors=True)

    return resources


def create_app(settings: PermitsSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    """The app; tests pass their own ``clock`` to move time instead of waiting."""
    settings = settings or PermitsSettings()
    this_year = clock().year
    calendar = WorkingCalendar.for_indonesia(
        settings.extra_holidays,
        years=range(this_year - 1, this_year + 2),
        timezone=settings.timezone,
    )
    verification = VerificationLinks(
        VerificationCodes([secret.get_secret_value() for secret in settings.verification_secrets]),
        public_base_url=settings.public_base_url,
    )

    def consumers(runtime: ServiceRuntime) -> list[EventConsumer[PermitsTransaction]]:
        return [
            EventConsumer(
                name="permits.payment-outcomes",
                topics=[PAYMENTS_TOPIC],
                bootstrap_servers=settings.kafka_bootstrap_servers,
                security=settings.kafka_security,
                sessionmaker=runtime.sessionmaker,
                tables=EVENT_TABLES,
                context=_background_transactions(runtime, calendar, verification, settings),
                subscriptions=[
                    on(InvoiceCreated, payment_outcomes.fee_invoiced),
                    on(InvoicePaid, payment_outcomes.fee_paid),
                    on(InvoiceExpired, payment_outcomes.fee_expired),
                ],
            )
        ]

    return create_service_app(
        ServiceDefinition(
            settings=settings,
            title="Kota LIVE permits",
            description=(
                "Permit types, applications and their review, issuance, and public "
                "verification of issued permits."
            ),
            migrations="permits:migrations",
            routers=[
                catalogue_router,
                applications_router,
                documents_router,
                queue_router,
                issuance_router,
            ],
            event_tables=EVENT_TABLES,
            idempotency_keys=IDEMPOTENCY_KEYS,
            consumers=consumers,
            extension=_permits_resources(settings, calendar, verification),
            clock=clock,
        )
    )
