"""The inbox, fed by the services' real events: each event's notice once, to the right
account, even redelivered; owners and officers found; reminders scheduled and settled; the
inbox and preferences only for their owner. Real PostgreSQL and Kafka, the app in-process."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import notice_examples as examples
import pytest
from fastapi import FastAPI

from information.config import InformationSettings
from information.directory import repository as directory
from information.main import create_app
from information.reminders import repository as reminders
from information.reminders.models import ReminderState
from information.reminders.sweep import send_due_reminders
from kota_contracts.identity import StaffAccountCreated
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, migrated_database, running_app
from kota_shared.events.envelope import EventData
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.kafka import publish
from kota_shared.testing.pages import next_link
from kota_shared.testing.problems import assert_problem
from kota_shared.testing.waiting import eventually

NOTICES = "/v1/information/notices"
PREFERENCES = "/v1/information/preferences"


@pytest.fixture(scope="module")
async def intake_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "information:migrations", "information")


@pytest.fixture(scope="module")
def intake_clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="module")
def intake_app(
    intake_database: str, service_env: dict[str, Any], intake_clock: MovableClock
) -> FastAPI:
    settings = InformationSettings(
        database_url=intake_database,
        # Its own group: other modules' apps read the same topics into their own databases.
        consumer_group="information.notices.test-intake",
        reminder_sweep_seconds=3600,  # the tests sweep when they have moved the clock
        **service_env,
    )
    return create_app(settings, clock=intake_clock)


@pytest.fixture(scope="module")
async def client(intake_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(intake_app) as client:
        yield client


class Town:
    """Fresh accounts and subjects per test, and the events about them put on Kafka."""

    def __init__(self, kafka: str, client: httpx.AsyncClient, auth: AuthHeaders) -> None:
        self.kafka = kafka
        self.client = client
        self.auth = auth
        self.citizen = uuid.uuid4()
        self.application = uuid.uuid4()
        self.invoice = uuid.uuid4()
        self.booking = uuid.uuid4()

    def as_citizen(self, account: uuid.UUID | None = None, **headers: str) -> dict[str, str]:
        return {**self.auth(str(account or self.citizen), roles=["citizen"]), **headers}

    def about(self, event: EventData, **changes: Any) -> EventData:
        """``event`` (an example) about this test's citizen and subjects."""
        ids: dict[str, Any] = {
            "application_id": self.application,
            "applicant_id": str(self.citizen),
            "invoice_id": self.invoice,
            "payer_id": str(self.citizen),
            "booking_id": self.booking,
            "citizen_id": str(self.citizen),
        }
        fields = type(event).model_fields
        return event.model_copy(update={k: v for k, v in ids.items() if k in fields} | changes)

    async def send(self, event: EventData, *, times: int = 1) -> None:
        subject = str(
            getattr(event, "application_id", None)
            or getattr(event, "invoice_id", None)
            or getattr(event, "booking_id", None)
            or getattr(event, "account_id", None)
        )
        await publish(self.kafka, event, source="tests", subject=subject, times=times)

    async def inbox(self, account: uuid.UUID | None = None, **params: Any) -> list[dict[str, Any]]:
        response = await self.client.get(NOTICES, params=params, headers=self.as_citizen(account))
        assert response.status_code == 200, response.text
        notices: list[dict[str, Any]] = response.json()
        return notices

    async def kinds_once(self, *kinds: str) -> list[dict[str, Any]]:
        """The inbox once every one of ``kinds`` is in it."""
        return await eventually(
            self.inbox,
            until=lambda notices: set(kinds) <= {n["kind"] for n in notices},
            what=f"notices {kinds} for {self.citizen}",
        )


@pytest.fixture
def town(
    infrastructure: Infrastructure, client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> Town:
    return Town(infrastructure.kafka_bootstrap_servers, client, auth_headers)


async def test_an_event_delivered_three_times_gives_one_notice_in_indonesian(town: Town) -> None:
    await town.send(town.about(examples.SUBMITTED), times=3)
    # The same application's next event follows the three copies on its partition: once its
    # notice is there, every copy has been taken.
    await town.send(town.about(examples.REVISION_REQUESTED))

    notices = await town.kinds_once("permit.submitted", "permit.revision_requested")

    # Two events taken in one batch share its time: their order in the inbox is the ids'.
    assert sorted(n["kind"] for n in notices) == ["permit.revision_requested", "permit.submitted"]
    (submitted,) = [n for n in notices if n["kind"] == "permit.submitted"]
    assert submitted["language"] == "id"
    assert submitted["title"] == "Permohonan PBG diterima"
    assert submitted["body"].startswith("Permohonan izin PBG Anda telah kami terima pada")
    assert submitted["subject_ref"] == f"application:{town.application}"
    assert submitted["read"] is False


async def test_english_when_the_app_asks_for_it(town: Town) -> None:
    await town.send(town.about(examples.APPROVED))
    await town.kinds_once("permit.approved")

    response = await town.client.get(NOTICES, headers=town.as_citizen(**{"Accept-Language": "en"}))

    # In a whole test run, payments' own tests' consumer may bill the approval too.
    (approved,) = [n for n in response.json() if n["kind"] == "permit.approved"]
    assert approved["language"] == "en"
    assert approved["title"] == "Your PBG application is approved"


async def test_an_event_that_names_nobody_reaches_the_owner_an_earlier_one_named(
    town: Town,
) -> None:
    await town.send(town.about(examples.SUBMITTED))
    await town.send(town.about(examples.DEADLINE_PASSED))

    notices = await town.kinds_once("permit.submitted", "permit.deadline_passed")

    assert {n["subject_ref"] for n in notices} == {f"application:{town.application}"}


async def test_another_citizens_notice_is_not_found_and_not_listed(town: Town) -> None:
    await town.send(town.about(examples.INVOICE_PAID))
    (paid,) = await town.kinds_once("invoice.paid")
    stranger = uuid.uuid4()

    response = await town.client.get(f"{NOTICES}/{paid['id']}", headers=town.as_citizen(stranger))
    assert_problem(response, 404, "not_found")
    marked = await town.client.post(
        f"{NOTICES}/{paid['id']}/read", headers=town.as_citizen(stranger)
    )
    assert_problem(marked, 404, "not_found")
    assert await town.inbox(stranger) == []
    own = await town.client.get(f"{NOTICES}/{paid['id']}", headers=town.as_citizen())
    assert own.status_code == 200
    assert own.json()["read"] is False  # the stranger's attempt changed nothing


async def test_read_and_archive_move_a_notice_out_of_the_unread_count(town: Town) -> None:
    await town.send(town.about(examples.INVOICE_PAID))
    await town.send(town.about(examples.REFUNDED))
    first, second = await town.kinds_once("invoice.paid", "invoice.refunded")
    count = f"{NOTICES}/unread-count"
    assert (await town.client.get(count, headers=town.as_citizen())).json() == {"unread": 2}

    read = await town.client.post(f"{NOTICES}/{first['id']}/read", headers=town.as_citizen())
    again = await town.client.post(f"{NOTICES}/{first['id']}/read", headers=town.as_citizen())
    archived = await town.client.post(
        f"{NOTICES}/{second['id']}/archive", headers=town.as_citizen()
    )

    assert read.json()["read"] is True
    assert again.json()["read_at"] == read.json()["read_at"]  # the first reading is kept
    assert archived.json()["archived"] is True
    assert (await town.client.get(count, headers=town.as_citizen())).json() == {"unread": 0}
    assert [n["id"] for n in await town.inbox()] == [first["id"]]
    assert [n["id"] for n in await town.inbox(unread="true")] == []
    assert [n["id"] for n in await town.inbox(archived="true")] == [second["id"]]


async def test_the_inbox_pages_newest_first(town: Town) -> None:
    await town.send(town.about(examples.SUBMITTED))
    await town.send(town.about(examples.REVISION_REQUESTED))
    await town.send(town.about(examples.APPROVED))
    everything = await town.kinds_once(
        "permit.submitted", "permit.revision_requested", "permit.approved"
    )

    first = await town.client.get(NOTICES, params={"limit": 2}, headers=town.as_citizen())
    link = next_link(first)
    assert link is not None
    rest = await town.client.get(link, headers=town.as_citizen())

    assert [n["id"] for n in first.json() + rest.json()] == [n["id"] for n in everything]
    assert next_link(rest) is None


async def test_monitoring_alerts_reach_the_officers_of_the_role_only(
    town: Town, intake_app: FastAPI
) -> None:
    officer, admin = uuid.uuid4(), uuid.uuid4()
    for account, role in ((officer, "permits_officer"), (admin, "city_admin")):
        await town.send(
            StaffAccountCreated(
                account_id=account,
                roles=[role],
                created_by=uuid.uuid4(),
                created_at=datetime.now(UTC),
            )
        )

    async def known() -> int:
        async with intake_app.state.runtime.sessionmaker() as session:
            return sum(
                [await directory.get(session, account_id=a) is not None for a in (officer, admin)]
            )

    # Identity's topic and monitoring's are not ordered with each other: the alert is raised
    # once the directory knows both accounts.
    await eventually(known, until=lambda n: n == 2, what="both staff accounts in the directory")
    await town.send(town.about(examples.AT_RISK))

    at_risk = await eventually(
        lambda: town.inbox(officer),
        until=lambda notices: any(
            n["subject_ref"] == f"application:{town.application}" for n in notices
        ),
        what="the officer's alert",
    )

    assert [n["kind"] for n in at_risk] == ["alert.deadline_at_risk"]
    assert await town.inbox(admin) == []


async def test_an_unpaid_invoice_is_reminded_two_days_before_it_is_due(
    town: Town, intake_app: FastAPI, intake_clock: MovableClock
) -> None:
    now = datetime.now(UTC)
    await town.send(town.about(examples.INVOICE_CREATED, due_at=now + timedelta(days=5)))
    await town.kinds_once("invoice.opened")
    runtime = intake_app.state.runtime

    intake_clock.fixed = now + timedelta(days=2, hours=23)  # not yet due
    await send_due_reminders(runtime, batch_size=10, timezone=runtime.settings.timezone)
    assert "invoice.reminder" not in {n["kind"] for n in await town.inbox()}
    intake_clock.fixed = now + timedelta(days=3, minutes=1)
    try:
        await send_due_reminders(runtime, batch_size=10, timezone=runtime.settings.timezone)
        await send_due_reminders(runtime, batch_size=10, timezone=runtime.settings.timezone)
    finally:
        intake_clock.fixed = None

    kinds = [n["kind"] for n in await town.inbox()]
    assert kinds.count("invoice.reminder") == 1


async def test_a_paid_invoice_is_not_reminded(
    town: Town, intake_app: FastAPI, intake_clock: MovableClock
) -> None:
    now = datetime.now(UTC)
    await town.send(town.about(examples.INVOICE_CREATED, due_at=now + timedelta(days=5)))
    await town.send(town.about(examples.INVOICE_PAID))
    await town.kinds_once("invoice.opened", "invoice.paid")
    runtime = intake_app.state.runtime

    intake_clock.fixed = now + timedelta(days=4)
    try:
        await send_due_reminders(runtime, batch_size=10, timezone=runtime.settings.timezone)
    finally:
        intake_clock.fixed = None

    assert "invoice.reminder" not in {n["kind"] for n in await town.inbox()}
    async with runtime.sessionmaker() as session:
        (reminder,) = await reminders.for_subject(session, subject_ref=f"invoice:{town.invoice}")
    assert reminder.state is ReminderState.CANCELLED


async def test_a_booking_is_reminded_the_afternoon_before_unless_cancelled(
    town: Town, intake_app: FastAPI
) -> None:
    visit = (datetime.now(UTC) + timedelta(days=3)).date()
    kept, cancelled = town.booking, uuid.uuid4()
    await town.send(town.about(examples.BOOKED, visit_date=visit))
    town.booking = cancelled
    await town.send(town.about(examples.BOOKED, visit_date=visit))
    await town.send(town.about(examples.BOOKING_CANCELLED, visit_date=visit))
    await town.kinds_once("booking.confirmed", "booking.cancelled")

    runtime = intake_app.state.runtime
    async with runtime.sessionmaker() as session:
        (reminder,) = await reminders.for_subject(session, subject_ref=f"booking:{kept}")
        (dropped,) = await reminders.for_subject(session, subject_ref=f"booking:{cancelled}")

    local = reminder.due_at.astimezone(runtime.settings.timezone)
    assert (local.date(), local.hour) == (visit - timedelta(days=1), 16)
    assert reminder.state is ReminderState.SCHEDULED
    assert dropped.state is ReminderState.CANCELLED


async def test_preferences_start_from_the_defaults_and_are_the_citizens_own(town: Town) -> None:
    defaults = await town.client.get(PREFERENCES, headers=town.as_citizen())
    assert defaults.json() == {
        "channels": ["whatsapp", "sms"],
        "language": "id",
        "quiet_from": "21:00:00",
        "quiet_until": "06:00:00",
    }

    chosen = {"channels": ["sms"], "language": "en", "quiet_from": None, "quiet_until": None}
    put = await town.client.put(PREFERENCES, json=chosen, headers=town.as_citizen())

    assert put.status_code == 200, put.text
    assert (await town.client.get(PREFERENCES, headers=town.as_citizen())).json() == chosen
    stranger = await town.client.get(PREFERENCES, headers=town.as_citizen(uuid.uuid4()))
    assert stranger.json()["channels"] == ["whatsapp", "sms"]


@pytest.mark.parametrize(
    ("body", "field_code"),
    [
        ({"channels": ["sms", "sms"]}, "duplicate_channel"),
        ({"quiet_from": "22:00", "quiet_until": None}, "incomplete_quiet_hours"),
        ({"quiet_from": "22:00", "quiet_until": "22:00"}, "empty_quiet_hours"),
        ({"channels": ["pigeon"]}, "enum"),
    ],
)
async def test_preferences_that_make_no_sense_are_refused(
    town: Town, body: dict[str, Any], field_code: str
) -> None:
    whole = {"channels": ["sms"], "language": "id", "quiet_from": None, "quiet_until": None}

    response = await town.client.put(PREFERENCES, json=whole | body, headers=town.as_citizen())

    problem = assert_problem(response, 422, "validation_failed")
    assert field_code in {error["type"] for error in problem["errors"]}


async def test_who_may_not_read_an_inbox_or_set_preferences(town: Town) -> None:
    agency = town.auth("ac_bank", roles=[], scopes=["monitoring:read"])
    officer = town.auth(str(uuid.uuid4()), roles=["permits_officer"])

    assert_problem(await town.client.get(NOTICES), 401, "unauthorized")
    assert_problem(await town.client.get(NOTICES, headers=agency), 403, "forbidden")
    assert_problem(await town.client.put(PREFERENCES, json={}, headers=officer), 403, "forbidden")
    forged = {"Authorization": "Bearer " + "e30." * 2 + "c2ln"}
    assert_problem(await town.client.get(NOTICES, headers=forged), 401, "unauthorized")
    not_an_account = town.auth("citizen-by-nik", roles=["citizen"])
    assert_problem(await town.client.get(NOTICES, headers=not_an_account), 403, "forbidden")
    assert_problem(await town.client.get(PREFERENCES, headers=not_an_account), 403, "forbidden")
