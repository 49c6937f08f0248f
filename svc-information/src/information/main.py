"""The information service's ASGI app (``uvicorn information.main:create_app --factory``)."""

from fastapi import FastAPI

from information import subscriptions
from information.announcements import fan_out
from information.announcements.feed_router import router as announcements_feed_router
from information.announcements.router import router as announcements_router
from information.config import InformationSettings
from information.db import EVENT_TABLES, IDEMPOTENCY_KEYS
from information.delivery import dispatcher
from information.delivery.router import router as delivery_router
from information.intake import intake
from information.kiosk.router import router as kiosk_router
from information.notices.router import router as notices_router
from information.preferences.router import router as preferences_router
from information.reminders import sweep as reminders
from information.reminders.service import ReminderTimes
from kota_shared.app import ServiceDefinition, ServiceRuntime, all_of, create_service_app
from kota_shared.clock import Clock, system_clock
from kota_shared.events.consumer import EventConsumer
from kota_shared.transaction import Transaction


def create_app(
    settings: InformationSettings | None = None, *, clock: Clock = system_clock
) -> FastAPI:
    """The app; tests pass their own ``clock`` to move time instead of waiting."""
    settings = settings or InformationSettings()
    take = intake(
        times=ReminderTimes(
            invoice_days_before=settings.invoice_reminder_days_before,
            booking_reminder_at=settings.booking_reminder_at,
            timezone=settings.timezone,
        ),
    )

    def consumers(runtime: ServiceRuntime) -> list[EventConsumer[Transaction]]:
        return [
            EventConsumer(
                name=settings.consumer_group,
                topics=list(settings.watched_topics),
                bootstrap_servers=settings.kafka_bootstrap_servers,
                security=settings.kafka_security,
                sessionmaker=runtime.sessionmaker,
                tables=EVENT_TABLES,
                context=runtime.transaction,
                subscriptions=subscriptions.subscriptions(take),
            )
        ]

    return create_service_app(
        ServiceDefinition(
            settings=settings,
            title="Kota LIVE information",
            description=(
                "What the city tells each citizen and officer: an inbox of notices made from "
                "the services' events, also sent by WhatsApp and SMS by the citizen's "
                "preferences, handed over at a kiosk to citizens without a phone; and the "
                "city's announcements, with a public feed."
            ),
            migrations="information:migrations",
            routers=[
                notices_router,
                preferences_router,
                kiosk_router,
                announcements_router,
                announcements_feed_router,
                delivery_router,
            ],
            event_tables=EVENT_TABLES,
            consumers=consumers,
            extension=all_of(
                fan_out.extension(settings),
                reminders.extension(settings),
                dispatcher.extension(settings),
            ),
            idempotency_keys=IDEMPOTENCY_KEYS,
            clock=clock,
        )
    )
