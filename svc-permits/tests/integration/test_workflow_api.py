"""An application's whole life through the permits API, on real PostgreSQL and Kafka."""

import uuid
from typing import Any

from kota_contracts.permits import (
    ApplicationApproved,
    ApplicationSubmitted,
    ApplicationSubmittedV2,
    PermitIssued,
    PermitIssuedV2,
    RevisionRequested,
    StepTaken,
)
from permits.catalogue.seeds import load

URL = "/v1/permits/applications"


async def test_a_free_permit_is_issued_on_approval_and_announced(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen, officer = permits.citizen(), permits.officer()

    approved = await permits.approved(citizen, officer, permit_type)

    assert approved["status"] == "issued"
    assert approved["fee_amount"] == 0
    permit = await permits.client.get(f"{URL}/{approved['id']}/permit", headers=citizen)
    assert permit.status_code == 200, permit.text
    assert permit.json()["number"] == f"{permit_type}/3671/{approved['decided_at'][:4]}/000001"
    assert permit.json()["validity"] == "valid"
    events = await permits.events(
        approved["id"], ApplicationApproved.event_type, PermitIssuedV2.event_type
    )
    # Each step's own `StepTaken` is interleaved; test_step_events holds those to account.
    types = [e["type"] for e in events if e["type"] != StepTaken.event_type]
    assert types == [
        "permits.application.drafted.v1",
        ApplicationSubmitted.event_type,
        ApplicationSubmittedV2.event_type,
        ApplicationApproved.event_type,
        PermitIssued.event_type,
        PermitIssuedV2.event_type,
    ]
    assert events[-2].data["number"] == permit.json()["number"]


async def test_the_v2_events_name_the_applicant_and_the_permits_verification_link(
    permits: Any,
) -> None:
    permit_type = await permits.define_type()
    citizen, officer = permits.citizen("citizen-v2"), permits.officer()
    approved = await permits.approved(citizen, officer, permit_type)

    events = await permits.events(approved["id"], PermitIssuedV2.event_type)

    submitted = next(e for e in events if e["type"] == ApplicationSubmittedV2.event_type)
    assert submitted.data["applicant_id"] == "citizen-v2"
    issued = next(e for e in events if e["type"] == PermitIssuedV2.event_type)
    assert issued.data["applicant_id"] == "citizen-v2"
    assert issued.data["verification_url"].startswith("https://kota.example/v1/permits/verify/")
    verification = await permits.client.get(
        issued.data["verification_url"].removeprefix("https://kota.example")
    )
    assert verification.status_code == 200, verification.text
    assert verification.json()["number"] == issued.data["number"]


async def test_every_step_is_recorded_with_who_and_why(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen, officer = permits.citizen("citizen-history"), permits.officer("officer-history")
    approved = await permits.approved(citizen, officer, permit_type)

    history = await permits.client.get(f"{URL}/{approved['id']}/history", headers=citizen)

    assert history.status_code == 200
    steps = [
        (s["action"], s["from_status"], s["to_status"], s["actor"], s["actor_id"])
        for s in history.json()
    ]
    assert steps == [
        ("submit", "draft", "submitted", "applicant", "citizen-history"),
        ("start_review", "submitted", "in_review", "officer", "officer-history"),
        ("approve", "in_review", "approved", "officer", "officer-history"),
        ("issue", "approved", "issued", "system", "system"),
    ]
    assert history.json()[2]["note"] == "All in order."


async def test_a_revision_round_trip_comes_back_to_the_queue(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen, officer = permits.citizen(), permits.officer()
    application = await permits.submitted(citizen, permit_type)
    await permits.step(officer, application["id"], "claim")

    sent_back = await permits.step(
        officer, application["id"], "request-revision", "The KTP scan is unreadable."
    )
    assert sent_back.json()["status"] == "revision_requested"
    assert sent_back.json()["stage_deadline_at"] is None  # the citizen's turn: no clock
    changed = await permits.client.patch(
        f"{URL}/{application['id']}",
        json={"fields": {"purpose": "Toko kelontong"}},
        headers=citizen,
    )
    assert changed.status_code == 200, changed.text
    assert (
        await permits.upload(citizen, application["id"], filename="ktp-2.png", content=_png())
    ).status_code == 201
    resubmitted = await permits.step(citizen, application["id"], "submit", "New scan attached.")

    assert resubmitted.status_code == 200, resubmitted.text
    assert resubmitted.json()["status"] == "resubmitted"
    assert resubmitted.json()["fields"] == {"purpose": "Toko kelontong"}
    assert resubmitted.json()["stage"] == "verification"
    queue = await permits.client.get(
        "/v1/permits/queue", params={"permit_type": permit_type}, headers=officer
    )
    assert [a["id"] for a in queue.json()] == [application["id"]]
    events = await permits.events(
        application["id"], RevisionRequested.event_type, ApplicationSubmitted.event_type
    )
    revision = next(e for e in events if e["type"] == RevisionRequested.event_type)
    assert revision.data["note"] == "The KTP scan is unreadable."
    assert [
        e.data["resubmission"] for e in events if e["type"] == ApplicationSubmitted.event_type
    ] == [False, True]


def _png() -> bytes:
    return bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201ab2c9c9a0000000049454e44ae426082"
    )


async def test_an_illegal_transition_is_a_409_naming_the_current_state(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen, officer = permits.citizen(), permits.officer()
    application = await permits.draft(citizen, permit_type)

    approve_a_draft = await permits.step(officer, application["id"], "approve")
    cancelled = await permits.step(citizen, application["id"], "cancel")
    submit_cancelled = await permits.step(citizen, application["id"], "submit")

    assert approve_a_draft.status_code == 409
    assert approve_a_draft.headers["content-type"] == "application/problem+json"
    assert approve_a_draft.json()["code"] == "illegal_transition"
    assert approve_a_draft.json()["current_status"] == "draft"
    assert cancelled.json()["status"] == "cancelled"
    assert submit_cancelled.status_code == 409
    assert submit_cancelled.json()["current_status"] == "cancelled"


async def test_a_citizen_cannot_take_an_officer_action(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    application = await permits.submitted(citizen, permit_type)

    for action in ("claim", "approve"):
        response = await permits.step(citizen, application["id"], action)
        assert response.status_code == 403, action
        assert response.json()["code"] == "forbidden"
    read = await permits.client.get(f"{URL}/{application['id']}", headers=citizen)
    assert read.json()["status"] == "submitted"
    assert read.json()["next_actions"] == ["cancel"]


async def test_another_citizens_application_is_404_to_read_change_or_submit(permits: Any) -> None:
    permit_type = await permits.define_type()
    owner, other = permits.citizen(), permits.citizen()
    application = await permits.draft(owner, permit_type)
    path = f"{URL}/{application['id']}"

    answers = [
        await permits.client.get(path, headers=other),
        await permits.client.get(f"{path}/history", headers=other),
        await permits.client.patch(path, json={"holder_name": "Mallory"}, headers=other),
        await permits.step(other, application["id"], "submit"),
        await permits.step(other, application["id"], "cancel"),
        await permits.upload(other, application["id"]),
    ]

    assert [a.status_code for a in answers] == [404] * len(answers)
    still = await permits.client.get(path, headers=owner)
    assert (still.json()["status"], still.json()["holder_name"]) == ("draft", "Budi Santoso")


async def test_an_officer_sees_every_application_and_the_queue_by_deadline(permits: Any) -> None:
    permit_type = await permits.define_type()
    officer = permits.officer()
    first = await permits.submitted(permits.citizen(), permit_type)
    second = await permits.submitted(permits.citizen(), permit_type)

    read = await permits.client.get(f"{URL}/{second['id']}", headers=officer)
    queue = await permits.client.get(
        "/v1/permits/queue",
        params={"permit_type": permit_type, "district_code": "367105", "claimed": "none"},
        headers=officer,
    )

    assert read.status_code == 200
    assert "start_review" in read.json()["next_actions"]
    assert [a["id"] for a in queue.json()] == [first["id"], second["id"]]
    assert (
        await permits.client.get("/v1/permits/queue", headers=permits.citizen())
    ).status_code == 403


async def test_only_the_officer_who_claimed_it_decides(permits: Any) -> None:
    permit_type = await permits.define_type()
    application = await permits.submitted(permits.citizen(), permit_type)
    claimer, colleague = permits.officer(), permits.officer()
    await permits.step(claimer, application["id"], "claim")

    response = await permits.step(colleague, application["id"], "approve")

    assert response.status_code == 409
    assert response.json()["code"] == "claimed_by_another_officer"
    mine = await permits.client.get(
        "/v1/permits/queue", params={"claimed": "mine", "permit_type": permit_type}, headers=claimer
    )
    assert [a["id"] for a in mine.json()] == [application["id"]]


async def test_submitting_an_incomplete_application_lists_what_is_missing(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    response = await permits.client.post(URL, json={"permit_type": permit_type}, headers=citizen)
    application_id = response.json()["id"]

    submitted = await permits.step(citizen, application_id, "submit")

    assert submitted.status_code == 422
    problem = submitted.json()
    assert problem["code"] in {"invalid_application_fields", "application_incomplete"}
    read = await permits.client.get(f"{URL}/{application_id}", headers=citizen)
    assert read.json()["status"] == "draft"


async def test_missing_documents_and_holder_are_named(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen = permits.citizen()
    response = await permits.client.post(
        URL,
        json={"permit_type": permit_type, "district_code": "367101", "fields": {"purpose": "x"}},
        headers=citizen,
    )

    submitted = await permits.step(citizen, response.json()["id"], "submit")

    assert submitted.status_code == 422
    assert submitted.json()["code"] == "application_incomplete"
    assert submitted.json()["missing"] == ["holder_name", "document ktp"]


async def test_bad_form_answers_are_422_naming_the_field(permits: Any) -> None:
    permit_type = await permits.define_type()

    response = await permits.client.post(
        URL,
        json={"permit_type": permit_type, "fields": {"purpose": "x" * 500, "colour": "red"}},
        headers=permits.citizen(),
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_application_fields"
    assert {e["field"] for e in response.json()["errors"]} == {"purpose", "colour"}


async def test_an_unknown_permit_type_is_refused(permits: Any) -> None:
    response = await permits.client.post(
        URL, json={"permit_type": "NO_SUCH_TYPE"}, headers=permits.citizen()
    )

    assert response.status_code == 422
    assert response.json()["code"] == "unknown_permit_type"


async def test_approval_with_a_fee_waits_for_payment_and_asks_for_an_invoice(
    permits: Any,
) -> None:
    permit_type = await permits.define_type(fee_rule={"kind": "fixed", "amount": 250_000})
    citizen = permits.citizen()

    approved = await permits.approved(citizen, permits.officer(), permit_type)

    assert approved["status"] == "awaiting_payment"
    assert approved["fee_amount"] == 250_000
    assert (
        await permits.client.get(f"{URL}/{approved['id']}/permit", headers=citizen)
    ).status_code == 404
    events = await permits.events(approved["id"], ApplicationApproved.event_type)
    (approval,) = [e for e in events if e["type"] == ApplicationApproved.event_type]
    assert approval.data["fee_amount"] == 250_000
    assert approval.data["applicant_id"] == approved["applicant_id"]
    assert approval.data["deemed"] is False


async def test_a_kiosk_officer_submitting_for_a_citizen_is_named_in_the_history(
    permits: Any,
) -> None:
    permit_type = await permits.define_type()
    subject = f"citizen-{uuid.uuid4().hex[:8]}"
    kiosk = permits.auth_headers(subject, roles=["citizen"], act={"sub": "officer-kiosk"})
    application = await permits.submitted(kiosk, permit_type)

    history = await permits.client.get(
        f"{URL}/{application['id']}/history", headers=permits.citizen(subject)
    )

    (submit,) = history.json()
    assert (submit["actor_id"], submit["acting_officer_id"]) == (subject, "officer-kiosk")


async def test_approving_after_the_fee_rule_changed_is_refused_and_changes_nothing(
    permits: Any,
) -> None:
    """The type now charges the PBG levy, which reads answers submitted before it had them:
    the officer gets a 409 naming them, never a 500, and the application stays in review."""
    permit_type = await permits.define_type()
    citizen, officer = permits.citizen(), permits.officer()
    application = await permits.submitted(citizen, permit_type)
    assert (await permits.step(officer, application["id"], "claim")).status_code == 200
    (pbg,) = [t for t in load("3671") if t.code == "PBG"]
    levied = pbg.model_dump(mode="json") | {"code": permit_type}
    replaced = await permits.client.put(
        f"/v1/permits/types/{permit_type}", json=levied, headers=permits.admin()
    )
    assert replaced.status_code == 200, replaced.text

    refused = await permits.step(officer, application["id"], "approve", "All in order.")
    after = await permits.client.get(f"{URL}/{application['id']}", headers=officer)

    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "fee_needs_answers"
    assert "body.fields.floor_area_m2" not in refused.text
    assert "fields.floor_area_m2" in {error["field"] for error in refused.json()["errors"]}
    assert after.json()["status"] == "in_review"
    assert after.json()["fee_amount"] is None
