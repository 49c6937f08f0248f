"""Rebuilding from the log: replaying every topic from its beginning into a fresh database
gives read models identical to the live ones, row for row; a database that already holds the
generation is refused."""

import asyncio
import json
import os
import sys
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from monitoring_events import OFFICER, day, permit_month
from monitoring_feed import Feed, unread
from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import create_async_engine

from kota_contracts.health import AppointmentBookedV2, AppointmentCancelled
from kota_contracts.monitoring import TOPIC, DeadlineAtRisk, DeadlineBreached
from kota_contracts.payments import InvoiceCreated, InvoicePaid
from kota_contracts.permits import fee_invoice_reference
from kota_dev.pytest_plugin import Infrastructure, create_database
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.kafka import read_events
from kota_shared.testing.waiting import eventually
from monitoring.alerts.models import alerts
from monitoring.config import MonitoringSettings
from monitoring.counters.models import EventCount
from monitoring.health.models import booking_daily
from monitoring.payments.models import invoice_cases, payment_daily, revenue_daily
from monitoring.permits.models import permit_cases, permit_daily, permit_stage_daily
from monitoring.reach.models import reach_daily
from monitoring.rebuild import NotFresh, rebuild


async def more_of_the_city(feed: Feed, year: int, source: str, facility: str) -> None:
    """A paid invoice and clinic bookings beside the permits month, for every read model."""
    invoice = uuid.uuid4()
    opened_at = day(year, 3, 5)
    ids = [
        await feed.send(
            InvoiceCreated(
                invoice_id=invoice, number="INV-1", payer_id="citizen-9", source=source,
                source_reference=fee_invoice_reference(uuid.uuid4()), amount=150_000,
                due_at=opened_at + timedelta(days=3), va_number="8808001", created_at=opened_at,
            ),
            subject=invoice, at=opened_at,
        ),
        await feed.send(
            InvoicePaid(
                invoice_id=invoice, number="INV-1", payer_id="citizen-9", source=source,
                source_reference="x", amount=150_000, channel="qris",
                provider_transaction_id="QR-1", paid_at=opened_at + timedelta(days=1),
            ),
            subject=invoice, at=opened_at,
        ),
    ]  # fmt: skip
    for assisted_by in (None, OFFICER):
        booking = uuid.uuid4()
        booked = AppointmentBookedV2(
            booking_id=booking, citizen_id="citizen-9", facility_id=uuid.uuid4(),
            facility_code=facility, kecamatan_code="36.71.03", service_code="general",
            visit_date=date(year, 3, 9), daily_quota=25, queue_number=1, queue_label="A-001",
            assisted_by=assisted_by, booked_at=opened_at,
        )  # fmt: skip
        ids.append(await feed.send(booked, subject=booking, at=opened_at))
    cancelled = AppointmentCancelled(
        booking_id=booking, facility_id=booked.facility_id, facility_code=facility,
        service_code="general", visit_date=date(year, 3, 9), queue_number=1,
        cancelled_at=opened_at,
    )  # fmt: skip
    ids.append(await feed.send(cancelled, subject=booking, at=opened_at))
    await feed.applied(ids)


async def rows(url: str, table: Table, *where: Any) -> list[Any]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(
                select(table).where(*where).order_by(*table.primary_key.columns)
            )
            return list(result)
    finally:
        await engine.dispose()


async def alerts_raised(
    url: str, infrastructure: Infrastructure, clock: MovableClock, year: int, permit_type: str
) -> None:
    """The month's open application past its deadline: both its alerts raised and published
    (so the log holds them for the rebuild), then the clock back to real time."""
    clock.fixed = day(year, 3, 28)
    found = await eventually(
        lambda: rows(url, alerts, alerts.c.permit_type == permit_type),
        until=lambda found: len(found) == 2,
        what="the open application's two alerts",
    )
    clock.fixed = None
    await read_events(
        infrastructure.kafka_bootstrap_servers,
        TOPIC,
        key=str(found[0].application_id),
        until_types=[DeadlineAtRisk.event_type, DeadlineBreached.event_type],
    )


async def test_a_rebuild_from_the_log_equals_the_live_read_models(
    feed: Feed,
    monitoring_settings: MonitoringSettings,
    monitoring_clock: MovableClock,
    infrastructure: Infrastructure,
    year: int,
) -> None:
    permit_type, source, facility = (f"R{uuid.uuid4().hex[:8]}" for _ in range(3))
    await permit_month(feed, year, permit_type)
    await more_of_the_city(feed, year, source, facility)
    live = monitoring_settings.database_url
    try:
        await alerts_raised(live, infrastructure, monitoring_clock, year, permit_type)
    finally:
        monitoring_clock.fixed = None
    # The live consumer has read its own alerts back once the ledger rows match the events.
    await eventually(
        lambda: unread(infrastructure.kafka_bootstrap_servers),
        until=lambda n: n == 0,
        within=120,
        what="the live consumer to apply everything published so far",
    )
    fresh = await create_database(infrastructure, "monitoring_rebuilt")

    report = await rebuild(
        monitoring_settings.model_copy(update={"database_url": fresh, "read_models_generation": 2})
    )

    assert report.consumer == "monitoring.read-models.g2"
    assert report.applied > 0
    compared = {
        permit_cases: [permit_cases.c.permit_type == permit_type],
        permit_daily: [permit_daily.c.permit_type == permit_type],
        permit_stage_daily: [permit_stage_daily.c.permit_type == permit_type],
        invoice_cases: [invoice_cases.c.source == source],
        payment_daily: [payment_daily.c.source == source],
        revenue_daily: [revenue_daily.c.source == source],
        booking_daily: [booking_daily.c.facility_code == facility],
        reach_daily: [reach_daily.c.day.between(date(year, 1, 1), date(year, 12, 31))],
        alerts: [alerts.c.permit_type == permit_type],
    }
    for table, where in compared.items():
        built = await rows(fresh, table, *where)
        assert built, f"{table.name}: this test's rows were rebuilt"
        assert built == await rows(live, table, *where), table.name


async def test_event_counts_are_rebuilt_too(
    monitoring_settings: MonitoringSettings, infrastructure: Infrastructure
) -> None:
    # Counts cover every test's events, so compare once the live consumer has applied all.
    await eventually(
        lambda: unread(infrastructure.kafka_bootstrap_servers),
        until=lambda n: n == 0,
        within=120,
        what="the live consumer to apply everything published so far",
    )
    fresh = await create_database(infrastructure, "monitoring_counted")

    await rebuild(
        monitoring_settings.model_copy(update={"database_url": fresh, "read_models_generation": 3})
    )

    table = EventCount.__table__
    assert await rows(fresh, table) == await rows(monitoring_settings.database_url, table)


async def test_a_database_that_holds_the_generation_is_refused(
    monitoring_settings: MonitoringSettings,
) -> None:
    with pytest.raises(NotFresh, match="fresh database"):
        await rebuild(monitoring_settings.model_copy(update={"read_models_generation": 1}))


async def test_the_command_reports_what_it_replayed(
    monitoring_settings: MonitoringSettings, infrastructure: Infrastructure
) -> None:
    fresh = await create_database(infrastructure, "monitoring_command")
    env = {
        **os.environ,
        **{
            f"MONITORING_{name.upper()}": str(value)
            for name, value in monitoring_settings.model_dump(
                include={"kafka_bootstrap_servers", "jwks_url", "token_issuer", "token_audience"}
            ).items()
        },
        "MONITORING_DATABASE_URL": fresh,
    }

    command = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "monitoring.rebuild", "--generation", "4",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(command.communicate(), timeout=240)

    assert command.returncode == 0, stderr.decode()
    report = json.loads(stdout)
    assert report["consumer"] == "monitoring.read-models.g4"
    assert report["applied"] > 0
