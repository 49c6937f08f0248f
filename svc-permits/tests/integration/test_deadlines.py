"""The service-level clock: deadlines in working days, and each type's policy when one
passes. Time is moved by the injected clock, never waited for."""

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from kota_contracts.permits import ApplicationApproved, DeadlinePassed, PermitIssued
from kota_dev.pytest_plugin import running_app
from kota_shared.transaction import Transaction
from permits.applications.deadlines import sweep
from permits.catalogue.models import PermitType
from permits.transaction import PermitsTransaction

WIB = ZoneInfo("Asia/Jakarta")
URL = "/v1/permits/applications"


@pytest.fixture(scope="module")
async def clocked(make_permits_app: Any) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, Any]]:
    """An app on its own database (a sweep sees every application in it) with a clock the
    test sets; the background sweep is pushed out of the way."""
    app, clock = await make_permits_app("permits_deadlines", deadline_sweep_seconds=3600)
    async with running_app(app) as client:
        yield app, client, clock


async def _sweep_at(app: FastAPI, moment: datetime) -> int:
    runtime = app.state.runtime

    def at_moment(session: AsyncSession) -> PermitsTransaction:
        base = Transaction.begin(
            session, outbox=runtime.outbox, clock=lambda: moment, settings=runtime.settings
        )
        return PermitsTransaction.extending(
            base,
            calendar=app.state.calendar,
            city_code="3671",
            max_open_drafts=5,
            verification=app.state.verification_links,
        )

    return await sweep(app.state.sessionmaker, context=at_moment)


@pytest.fixture
def driver(clocked: Any, permits: Any) -> Any:
    _, client, _ = clocked
    permits.client = client
    return permits


async def test_the_deadline_skips_weekends_and_public_holidays(clocked: Any, driver: Any) -> None:
    _, _, clock = clocked
    permit_type = await driver.define_type(stage_targets={"verification": 1, "review": 3})
    citizen = driver.citizen()

    clock.fixed = datetime(2026, 12, 18, 16, 0, tzinfo=WIB)  # a Friday afternoon
    friday = await driver.submitted(citizen, permit_type)
    clock.fixed = datetime(2026, 12, 24, 10, 0, tzinfo=WIB)  # Thursday; 25 Dec is a holiday
    christmas_eve = await driver.submitted(citizen, permit_type)
    clock.fixed = None

    # One working day: all of Monday; then all of the Monday after Christmas.
    assert datetime.fromisoformat(friday["stage_deadline_at"]) == datetime(2026, 12, 22, tzinfo=WIB)
    assert datetime.fromisoformat(christmas_eve["stage_deadline_at"]) == datetime(
        2026, 12, 29, tzinfo=WIB
    )


async def test_fiktif_positif_approves_and_issues_when_verification_is_late(
    clocked: Any, driver: Any
) -> None:
    app, client, clock = clocked
    permit_type = await driver.define_type(deadline_policy="auto_approve")
    citizen = driver.citizen()
    clock.fixed = datetime(2027, 1, 4, 9, 0, tzinfo=WIB)  # Monday
    application = await driver.submitted(citizen, permit_type)
    clock.fixed = None
    deadline = datetime.fromisoformat(application["stage_deadline_at"])

    async def status() -> str:
        read = await client.get(f"{URL}/{application['id']}", headers=citizen)
        return str(read.json()["status"])

    await _sweep_at(app, deadline - timedelta(seconds=1))
    assert await status() == "submitted"
    await _sweep_at(app, deadline)
    assert await status() == "issued"
    await _sweep_at(app, deadline + timedelta(days=30))  # handled once, not again
    events = await driver.events(
        application["id"], DeadlinePassed.event_type, PermitIssued.event_type
    )
    (passed,) = [e for e in events if e["type"] == DeadlinePassed.event_type]
    assert passed.data["policy"] == "auto_approve"
    assert passed.data["stage"] == "verification"
    assert datetime.fromisoformat(passed.data["deadline_at"]) == deadline
    (approval,) = [e for e in events if e["type"] == ApplicationApproved.event_type]
    assert approval.data["deemed"] is True
    history = (await client.get(f"{URL}/{application['id']}/history", headers=citizen)).json()
    assert [(s["action"], s["actor"]) for s in history][-2:] == [
        ("deem_approved", "system"),
        ("issue", "system"),
    ]


async def test_escalation_flags_a_late_review_and_leaves_the_decision_to_officers(
    clocked: Any, driver: Any
) -> None:
    app, client, clock = clocked
    permit_type = await driver.define_type(deadline_policy="escalate")
    citizen, officer = driver.citizen(), driver.officer()
    clock.fixed = datetime(2027, 2, 1, 9, 0, tzinfo=WIB)
    application = await driver.submitted(citizen, permit_type)
    claimed = (await driver.step(officer, application["id"], "claim")).json()
    clock.fixed = None
    review_deadline = datetime.fromisoformat(claimed["stage_deadline_at"])

    assert claimed["stage"] == "review"
    await _sweep_at(app, review_deadline - timedelta(seconds=1))
    before = (await client.get(f"{URL}/{application['id']}", headers=officer)).json()
    assert before["escalated_at"] is None
    await _sweep_at(app, review_deadline)
    await _sweep_at(app, review_deadline + timedelta(days=1))

    read = (await client.get(f"{URL}/{application['id']}", headers=officer)).json()
    assert read["status"] == "in_review"
    assert read["escalated_at"] is not None
    events = await driver.events(application["id"], DeadlinePassed.event_type)
    (passed,) = [e for e in events if e["type"] == DeadlinePassed.event_type]
    assert (passed.data["policy"], passed.data["stage"]) == ("escalate", "review")
    approved = await driver.step(officer, application["id"], "approve")
    assert approved.json()["status"] == "issued"


async def test_one_application_that_cannot_be_handled_does_not_hold_back_the_others(
    clocked: Any, driver: Any
) -> None:
    app, client, clock = clocked
    broken_type = await driver.define_type(deadline_policy="auto_approve")
    working_type = await driver.define_type(deadline_policy="auto_approve")
    citizen = driver.citizen()
    clock.fixed = datetime(2027, 3, 1, 9, 0, tzinfo=WIB)  # Monday
    broken = await driver.submitted(citizen, broken_type)
    working = await driver.submitted(citizen, working_type)
    clock.fixed = None
    async with app.state.sessionmaker() as session, session.begin():
        # The type vanishes from under its application (say, a bad manual fix in the
        # database): its policy can no longer run.
        await session.execute(delete(PermitType).where(PermitType.code == broken_type))
    deadline = datetime.fromisoformat(working["stage_deadline_at"])

    await _sweep_at(app, deadline)
    await _sweep_at(app, deadline + timedelta(days=1))  # not retried every tick

    def read(application: dict[str, Any]) -> Any:
        return client.get(f"{URL}/{application['id']}", headers=citizen)

    assert (await read(working)).json()["status"] == "issued"
    stuck = (await read(broken)).json()
    assert (stuck["status"], stuck["escalated_at"] is not None) == ("submitted", True)
