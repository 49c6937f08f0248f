"""What the education service publishes about registrations, read back from Kafka: valid
CloudEvents whose payloads match the published schemas, and no family card, NISN or name."""

from typing import Any

from sqlalchemy import func, select

from education.admission.pathways import published_quotas
from education.db import EVENT_TABLES
from kota_contracts.education import (
    Pathway,
    RegistrationSubmitted,
    RegistrationSubmittedV2,
    RegistrationVerified,
    RegistrationWithdrawn,
    SchoolLevel,
)
from kota_shared.events.schemas import events_in
from kota_shared.testing.contracts import assert_matches_published_schema

Admissions = Any  # the `admissions` fixture's driver (conftest)


async def test_submission_and_withdrawal_are_announced_without_the_childs_identity(
    admissions: Admissions, education_client: Any
) -> None:
    parent = admissions.kiosk("citizen-events", "officer-3")
    created = await admissions.registered(parent)
    await admissions.withdraw(parent, created["id"])

    submitted, submitted_v2, withdrawn = await admissions.events(
        created["id"],
        RegistrationSubmitted.event_type,
        RegistrationSubmittedV2.event_type,
        RegistrationWithdrawn.event_type,
    )

    for event in (submitted, submitted_v2, withdrawn):
        assert event["source"] == "/kota-live/education"
        assert event["subject"] == created["id"]
        assert event["dataschema"].endswith(f"/{event['type']}.json")
        assert_matches_published_schema(event["type"], event.data)
        # Neither the family card (whole or in part), nor the child's NISN or name.
        carried = repr(event.get_attributes()) + repr(event.data)
        for secret in ("3671012309150003", "09150003", created["student_nisn"], "Siti"):
            assert secret not in carried
    assert submitted["type"] == "education.registration.submitted.v1"
    assert submitted.data == {
        "registration_id": created["id"],
        "admission_year": 2027,
        "school_npsn": admissions.smp,
        "level": "SMP",
        "pathway": "domisili",
        "parent_id": "citizen-events",
        "assisted_by": "officer-3",
        "submitted_at": "2027-06-10T03:00:00Z",
    }
    # v2 is v1 with where the school is and its places (docs/events.md): SMP Negeri 1
    # Tangerang's 320, and the domisili pathway's share of them.
    quotas = published_quotas(SchoolLevel.SMP, 320)
    assert quotas is not None
    assert submitted_v2["type"] == "education.registration.submitted.v2"
    assert submitted_v2.data == submitted.data | {
        "kecamatan_code": "36.71.01",
        "school_capacity": 320,
        "pathway_quota": quotas[Pathway.DOMISILI],
    }
    assert withdrawn["type"] == "education.registration.withdrawn.v1"
    assert withdrawn.data["registration_id"] == created["id"]
    metrics = (await education_client.get("/metrics")).text
    assert 'kota_events_published_total{topic="education.events"}' in metrics


def test_every_declared_event_is_exercised_above() -> None:
    declared = {e.event_type for e in events_in(["kota_contracts.education"])}
    # education.registration.verified.v1: test_family_cards.py, with the verification step.
    assert declared == {
        RegistrationSubmitted.event_type,
        RegistrationSubmittedV2.event_type,
        RegistrationWithdrawn.event_type,
        RegistrationVerified.event_type,
    }


async def test_a_refused_registration_announces_nothing(
    admissions: Admissions, education_app: Any
) -> None:
    async def outbox_rows() -> int:
        async with education_app.state.sessionmaker() as session:
            return int(await session.scalar(select(func.count()).select_from(EVENT_TABLES.outbox)))

    before = await outbox_rows()
    response = await admissions.register(admissions.parent(), family_card_issued_on="2027-01-01")

    assert response.status_code == 422
    assert await outbox_rows() == before
