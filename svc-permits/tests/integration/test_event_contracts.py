"""Every event the permits service publishes is a valid CloudEvent whose payload matches its
published JSON Schema (`Permits.events` parses with the CloudEvents SDK and validates each
payload with jsonschema). The deadline event is exercised in test_deadlines."""

from typing import Any

from kota_contracts.permits import (
    ApplicationCancelled,
    ApplicationExpired,
    ApplicationRejected,
    DeadlinePassed,
    PermitRevoked,
    RevisionRequested,
)
from kota_shared.events.schemas import events_in


async def test_each_kind_of_step_publishes_a_valid_event(permits: Any) -> None:
    permit_type = await permits.define_type()
    citizen, officer = permits.citizen(), permits.officer()
    rejected = await permits.submitted(citizen, permit_type)
    await permits.step(officer, rejected["id"], "claim")
    await permits.step(officer, rejected["id"], "reject", "The venue is a protected area.")
    cancelled = await permits.draft(citizen, permit_type)
    await permits.step(citizen, cancelled["id"], "cancel")
    revised = await permits.submitted(citizen, permit_type)
    await permits.step(officer, revised["id"], "claim")
    await permits.step(officer, revised["id"], "request-revision", "Sign the form.")
    issued = await permits.approved(citizen, officer, permit_type)
    permit = (
        await permits.client.get(f"/v1/permits/applications/{issued['id']}/permit", headers=citizen)
    ).json()
    await permits.client.post(
        f"/v1/permits/issued/{permit['id']}/revoke",
        json={"reason": "Forged site plan."},
        headers=officer,
    )

    seen = set()
    for application, last in (
        (rejected, ApplicationRejected),
        (cancelled, ApplicationCancelled),
        (revised, RevisionRequested),
        (issued, PermitRevoked),
    ):
        events = await permits.events(application["id"], last.event_type)
        assert all(e["source"] == "/kota-live/permits" for e in events)
        assert all(e["subject"] == application["id"] for e in events)
        seen |= {e["type"] for e in events}

    declared = {e.event_type for e in events_in(["kota_contracts.permits"])}
    # The deadline and expiry events have tests of their own (test_deadlines,
    # test_payment_outcomes), which hold them to their schemas too.
    assert seen == declared - {DeadlinePassed.event_type, ApplicationExpired.event_type}
