"""`StepTaken`: every workflow step announced with the service-level clocks it stopped and
started, as monitoring reads them off Kafka.

The expected instants are written out by hand from the calendar of August 2027, so a clock
counted in calendar days, or one that forgot a public holiday, fails here: Tuesday 17 August
is Independence Day, a working day lost in the middle of every count below.
"""

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI

from kota_contracts.permits import (
    ApplicationCancelled,
    ApplicationRejected,
    ApplicationSubmitted,
    DeadlinePassed,
    PermitIssued,
    PermitRevoked,
    StepTaken,
)
from kota_dev.pytest_plugin import running_app
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.contracts import assert_matches_published_schema

WIB = ZoneInfo("Asia/Jakarta")
URL = "/v1/permits/applications"

SUBMITTED_AT = datetime(2027, 8, 9, 9, 0, tzinfo=WIB)  # a Monday
CLAIMED_AT = datetime(2027, 8, 11, 10, 0, tzinfo=WIB)  # Wednesday
APPROVED_AT = datetime(2027, 8, 16, 11, 0, tzinfo=WIB)  # the next Monday
TARGETS = {"verification": 2, "review": 3}

VERIFICATION_DUE = datetime(2027, 8, 12, tzinfo=WIB)  # after Tue 10 and Wed 11
REVIEW_DUE = datetime(2027, 8, 17, tzinfo=WIB)  # after Thu 12, Fri 13 and Mon 16


@pytest.fixture(scope="module")
async def clocked(
    make_permits_app: Any,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, MovableClock]]:
    """An app on its own database with a clock the test sets, and its own deadline sweep
    running often, so a deemed approval happens the way it does in service."""
    app, clock = await make_permits_app("permits_step_events", deadline_sweep_seconds=0.2)
    async with running_app(app) as client:
        yield app, client, clock


@pytest.fixture
def driver(clocked: Any, permits: Any) -> Iterator[Any]:
    _, client, clock = clocked
    permits.client = client
    yield permits
    clock.fixed = None


def steps_in(events: list[Any]) -> list[dict[str, Any]]:
    return [e.data for e in events if e["type"] == StepTaken.event_type]


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def instants(clock: dict[str, Any]) -> dict[str, Any]:
    """A stage clock with its instants parsed, to compare with aware datetimes."""
    return {k: at(v) if k.endswith("_at") else v for k, v in clock.items()}


async def claimed_on_schedule(
    driver: Any, clock: MovableClock
) -> tuple[dict[str, str], dict[str, Any], httpx.Response]:
    """An application submitted at `SUBMITTED_AT` and claimed at `CLAIMED_AT`: the officer,
    the submitted application, and the claim's answer (the clock is left at the claim)."""
    permit_type = await driver.define_type(stage_targets=TARGETS)
    officer = driver.officer()
    clock.fixed = SUBMITTED_AT
    application = await driver.submitted(driver.citizen(), permit_type)
    clock.fixed = CLAIMED_AT
    claimed = await driver.step(officer, application["id"], "claim")
    assert claimed.status_code == 200, claimed.text
    return officer, application, claimed


async def test_a_journey_publishes_each_step_with_the_clocks_it_stops_and_starts(
    clocked: Any, driver: Any
) -> None:
    _, _, clock = clocked
    officer, application, claimed = await claimed_on_schedule(driver, clock)
    clock.fixed = APPROVED_AT
    approved = await driver.step(officer, application["id"], "approve", "All in order.")
    clock.fixed = None

    assert application["district_code"] == "367105"
    assert datetime.fromisoformat(claimed.json()["stage_deadline_at"]) == REVIEW_DUE
    assert approved.json()["status"] == "issued"
    events = await driver.events_after_steps(application["id"], 4, PermitIssued.event_type)
    steps = steps_in(events)
    assert [(s["action"], s["from_status"], s["to_status"], s["actor"]) for s in steps] == [
        ("submit", "draft", "submitted", "applicant"),
        ("start_review", "submitted", "in_review", "officer"),
        ("approve", "in_review", "approved", "officer"),
        ("issue", "approved", "issued", "system"),
    ]
    assert [at(s["at"]) for s in steps] == [SUBMITTED_AT, CLAIMED_AT, APPROVED_AT, APPROVED_AT]
    assert {(s["application_id"], s["permit_type"]) for s in steps} == {
        (application["id"], application["permit_type"])
    }
    assert {s["kecamatan_code"] for s in steps} == {"36.71.05"}
    assert {s["assisted_by"] for s in steps} == {None}

    submit, start_review, approve, issue = steps
    (submitted,) = [e for e in events if e["type"] == ApplicationSubmitted.event_type]
    assert submit["closed_stage"] is None
    assert submit["opened_stage"]["stage"] == "verification"
    assert at(submit["opened_stage"]["due_at"]) == at(submitted.data["deadline_at"])
    assert at(submitted.data["deadline_at"]) == VERIFICATION_DUE
    # Wednesday's claim stops verification after one whole working day (Tuesday).
    assert instants(start_review["closed_stage"]) == {
        "stage": "verification",
        "started_at": SUBMITTED_AT,
        "due_at": VERIFICATION_DUE,
        "working_days": 1,
    }
    assert start_review["opened_stage"]["stage"] == "review"
    assert at(start_review["opened_stage"]["due_at"]) == REVIEW_DUE
    # Thursday and Friday count; the weekend does not.
    assert instants(approve["closed_stage"]) == {
        "stage": "review",
        "started_at": CLAIMED_AT,
        "due_at": REVIEW_DUE,
        "working_days": 2,
    }
    assert approve["opened_stage"] is None
    assert (issue["closed_stage"], issue["opened_stage"]) == (None, None)


async def test_an_opened_stage_says_when_it_is_at_risk_and_when_it_ages_in_working_days(
    clocked: Any, driver: Any
) -> None:
    _, _, clock = clocked
    _, application, _ = await claimed_on_schedule(driver, clock)
    clock.fixed = None

    submit, start_review = steps_in(await driver.events_after_steps(application["id"], 2))

    verification = instants(submit["opened_stage"])
    assert verification == {
        "stage": "verification",
        "due_at": VERIFICATION_DUE,
        "at_risk_at": datetime(2027, 8, 11, 11, 24, tzinfo=WIB),  # 80 % of its 63 hours
        "aged_3_working_days_at": datetime(2027, 8, 13, tzinfo=WIB),
        "aged_6_working_days_at": datetime(2027, 8, 19, tzinfo=WIB),  # not the 17th
        "aged_11_working_days_at": datetime(2027, 8, 26, tzinfo=WIB),
    }
    review = instants(start_review["opened_stage"])
    assert review == {
        "stage": "review",
        "due_at": REVIEW_DUE,
        "at_risk_at": datetime(2027, 8, 15, 21, 12, tzinfo=WIB),  # 80 % of its 134 hours
        "aged_3_working_days_at": REVIEW_DUE,
        "aged_6_working_days_at": datetime(2027, 8, 21, tzinfo=WIB),
        "aged_11_working_days_at": datetime(2027, 8, 28, tzinfo=WIB),
    }
    for started_at, opened in ((SUBMITTED_AT, verification), (CLAIMED_AT, review)):
        assert started_at < opened["at_risk_at"] < opened["due_at"]
        assert (
            started_at
            < opened["aged_3_working_days_at"]
            < opened["aged_6_working_days_at"]
            < opened["aged_11_working_days_at"]
        )


async def test_a_deemed_approval_closes_verification_late_as_the_system(
    clocked: Any, driver: Any
) -> None:
    _, _, clock = clocked
    permit_type = await driver.define_type(
        deadline_policy="auto_approve", stage_targets={"verification": 1, "review": 3}
    )
    clock.fixed = SUBMITTED_AT
    application = await driver.submitted(driver.citizen(), permit_type)
    due = datetime(2027, 8, 11, tzinfo=WIB)  # after Tuesday
    assert at(application["stage_deadline_at"]) == due
    late = due + timedelta(hours=2)
    clock.fixed = late  # the app's own sweep finds it overdue at its next tick

    events = await driver.events_after_steps(application["id"], 3, PermitIssued.event_type)

    (passed,) = [e for e in events if e["type"] == DeadlinePassed.event_type]
    assert at(passed.data["deadline_at"]) == due
    submit, deemed, issue = steps_in(events)
    assert submit["action"] == "submit"
    assert (deemed["action"], deemed["from_status"], deemed["to_status"]) == (
        "deem_approved",
        "submitted",
        "approved",
    )
    assert (deemed["actor"], deemed["assisted_by"]) == ("system", None)
    assert at(deemed["at"]) == late
    assert instants(deemed["closed_stage"]) == {
        "stage": "verification",
        "started_at": SUBMITTED_AT,
        "due_at": due,
        "working_days": 1,
    }
    assert at(deemed["at"]) > at(deemed["closed_stage"]["due_at"])  # closed late
    assert deemed["opened_stage"] is None
    assert (issue["action"], issue["actor"]) == ("issue", "system")


async def test_a_step_an_officer_takes_for_the_citizen_names_them(permits: Any) -> None:
    permit_type = await permits.define_type()
    subject, kiosk_officer = f"citizen-{uuid.uuid4().hex[:8]}", "officer-kiosk-7"
    kiosk = permits.auth_headers(subject, roles=["citizen"], act={"sub": kiosk_officer})
    application = await permits.submitted(kiosk, permit_type)
    assert (await permits.step(permits.officer(), application["id"], "claim")).status_code == 200
    cancelled = await permits.step(permits.citizen(subject), application["id"], "cancel")
    assert cancelled.status_code == 200, cancelled.text

    events = await permits.events_after_steps(application["id"], 3, ApplicationCancelled.event_type)

    assert [(s["action"], s["actor"], s["assisted_by"]) for s in steps_in(events)] == [
        ("submit", "applicant", kiosk_officer),
        ("start_review", "officer", None),
        ("cancel", "applicant", None),  # the citizen on their own
    ]


async def test_a_revision_stops_the_citys_clock_and_resubmission_starts_it_afresh(
    permits: Any,
) -> None:
    permit_type = await permits.define_type()
    citizen, officer = permits.citizen(), permits.officer()
    application = await permits.submitted(citizen, permit_type)
    await permits.step(officer, application["id"], "claim")
    await permits.step(officer, application["id"], "request-revision", "Sign the form.")
    resubmitted = await permits.step(citizen, application["id"], "submit")
    assert resubmitted.json()["status"] == "resubmitted", resubmitted.text

    events = await permits.events_after_steps(application["id"], 4)

    _, start_review, revision, resubmit = steps_in(events)
    assert revision["action"] == "request_revision"
    assert revision["closed_stage"]["stage"] == "review"
    assert at(revision["closed_stage"]["started_at"]) == at(start_review["at"])
    assert revision["opened_stage"] is None
    assert (resubmit["action"], resubmit["closed_stage"]) == ("resubmit", None)
    assert resubmit["opened_stage"]["stage"] == "verification"
    assert at(resubmit["opened_stage"]["due_at"]) == at(resubmitted.json()["stage_deadline_at"])


async def test_every_kind_of_step_matches_the_published_schema(permits: Any) -> None:
    """Each step the API can take, held to ``schemas/events/...step_taken.v1.json`` by an
    independent validator; the deemed approval above and the payment steps of
    test_payment_outcomes are read through the same schema-checking reader."""
    citizen, officer = permits.citizen(), permits.officer()
    free, paid = (
        await permits.define_type(),
        await permits.define_type(fee_rule={"kind": "fixed", "amount": 50_000}),
    )
    issued = await permits.approved(citizen, officer, free)
    permit = await permits.client.get(f"{URL}/{issued['id']}/permit", headers=citizen)
    revoked = await permits.client.post(
        f"/v1/permits/issued/{permit.json()['id']}/revoke",
        json={"reason": "Forged site plan."},
        headers=officer,
    )
    assert revoked.status_code == 200, revoked.text
    billed = await permits.approved(citizen, officer, paid)
    rejected = await permits.submitted(citizen, free)
    await permits.step(officer, rejected["id"], "claim")
    await permits.step(officer, rejected["id"], "request-revision", "Sign the form.")
    await permits.step(citizen, rejected["id"], "submit")
    await permits.step(officer, rejected["id"], "claim")
    await permits.step(officer, rejected["id"], "reject", "The venue is a protected area.")
    withdrawn = await permits.draft(citizen, free)
    await permits.step(citizen, withdrawn["id"], "cancel")

    steps: list[dict[str, Any]] = []
    for application, count, last in (
        (issued, 5, PermitRevoked.event_type),
        (billed, 4, StepTaken.event_type),
        (rejected, 6, ApplicationRejected.event_type),
        (withdrawn, 1, ApplicationCancelled.event_type),
    ):
        steps += steps_in(await permits.events_after_steps(application["id"], count, last))

    for step in steps:
        assert_matches_published_schema(StepTaken.event_type, step)
    assert {s["action"] for s in steps} == {
        "submit",
        "start_review",
        "approve",
        "issue",
        "revoke",
        "request_payment",
        "request_revision",
        "resubmit",
        "reject",
        "cancel",
    }
    # The schema is a real check, not one that passes anything.
    with_clocks = next(s for s in steps if s["opened_stage"] and s["closed_stage"])
    for broken in (
        with_clocks | {"opened_stage": {"stage": "verification"}},
        with_clocks | {"closed_stage": with_clocks["closed_stage"] | {"stage": "payment"}},
        with_clocks | {"action": "claim"},
        {k: v for k, v in with_clocks.items() if k != "assisted_by"},
    ):
        with pytest.raises(AssertionError):
            assert_matches_published_schema(StepTaken.event_type, broken)
