"""Deadline alerts: an application's stage raises one alert at 80 % of its time and one past
its deadline, by the app's clock, on `monitoring.events`, and never again for the same cause,
not after a restart either."""

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from monitoring_events import day, opened, step
from monitoring_feed import Feed

from kota_contracts.monitoring import TOPIC, DeadlineAtRisk, DeadlineBreached
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, running_app
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.kafka import read_events
from kota_shared.testing.waiting import eventually
from monitoring.alerts.causes import alert_id
from monitoring.config import MonitoringSettings
from monitoring.main import create_app

ALERTS = "/v1/monitoring/alerts"


@pytest.fixture
def clock(monitoring_clock: MovableClock) -> Iterator[MovableClock]:
    yield monitoring_clock
    monitoring_clock.fixed = None


async def submitted(feed: Feed, permit_type: str, at: datetime, due_at: datetime) -> uuid.UUID:
    """An application that entered verification at ``at``, due at ``due_at``, still open."""
    application = uuid.uuid4()
    data = step(
        application, "submit", "draft", "submitted", at, permit_type=permit_type,
        kecamatan="36.71.04", opens=opened("verification", at, due_at),
    )  # fmt: skip
    await feed.applied([await feed.send(data, subject=application, at=at)])
    return application


async def alerts_of(
    client: httpx.AsyncClient, headers: dict[str, str], permit_type: str
) -> list[dict[str, Any]]:
    response = await client.get(ALERTS, params={"permit_type": permit_type}, headers=headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def test_a_late_application_raises_each_alert_once_even_after_a_restart(
    feed: Feed,
    monitoring_client: httpx.AsyncClient,
    monitoring_settings: MonitoringSettings,
    infrastructure: Infrastructure,
    auth_headers: AuthHeaders,
    clock: MovableClock,
    year: int,
) -> None:
    viewer = auth_headers("viewer-alerts", roles=["monitoring_viewer"])
    permit_type, sentinel_type = (f"A{uuid.uuid4().hex[:8]}" for _ in range(2))
    start, due = day(year, 5, 4), day(year, 5, 9)  # at risk from the 8th (80 % of 5 days)
    late = await submitted(feed, permit_type, start, due)

    # Before 80 %: nothing, once a sweep has run with that clock (the sentinel, already at
    # risk then, shows one has).
    clock.fixed = start + timedelta(days=2)
    await submitted(feed, sentinel_type, start - timedelta(days=9), start)
    await eventually(
        lambda: alerts_of(monitoring_client, viewer, sentinel_type),
        until=lambda found: len(found) == 2,
        what="the sentinel's two alerts",
    )
    assert await alerts_of(monitoring_client, viewer, permit_type) == []

    clock.fixed = start + timedelta(days=4, hours=1)
    (at_risk,) = await eventually(
        lambda: alerts_of(monitoring_client, viewer, permit_type),
        until=lambda found: len(found) >= 1,
        what="the at-risk alert",
    )
    assert (at_risk["kind"], at_risk["stage"]) == ("at_risk", "verification")
    assert at_risk["application_id"] == str(late)
    assert at_risk["due_at"] == due.isoformat().replace("+00:00", "Z")

    clock.fixed = due + timedelta(hours=1)
    found = await eventually(
        lambda: alerts_of(monitoring_client, viewer, permit_type),
        until=lambda found: len(found) >= 2,
        what="the breach alert",
    )
    assert [a["kind"] for a in found] == ["breached", "at_risk"]

    # A restart: a new instance on the same database, whose sweep runs too (a second
    # sentinel, at risk only now, proves it) and raises nothing again for `late`.
    restarted: FastAPI = create_app(monitoring_settings, clock=clock)
    async with running_app(restarted) as client:
        second = f"A{uuid.uuid4().hex[:8]}"
        await submitted(feed, second, due - timedelta(days=3), due)
        await eventually(
            lambda: alerts_of(client, viewer, second),
            until=lambda found: len(found) == 2,
            what="the second sentinel's alerts",
        )
        assert [a["kind"] for a in await alerts_of(client, viewer, permit_type)] == [
            "breached",
            "at_risk",
        ]

    events = await read_events(
        infrastructure.kafka_bootstrap_servers,
        TOPIC,
        key=str(late),
        until_types=[DeadlineAtRisk.event_type, DeadlineBreached.event_type],
    )
    assert [e["type"] for e in events] == [DeadlineAtRisk.event_type, DeadlineBreached.event_type]
    assert events[0]["id"] == str(
        alert_id("at_risk", application_id=late, stage="verification", started_at=start)
    )
    assert events[1].data["detected_at"] == (due + timedelta(hours=1)).isoformat().replace(
        "+00:00", "Z"
    )
