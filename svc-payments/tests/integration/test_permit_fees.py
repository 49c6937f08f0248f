"""Permits' approval events open invoices: one per application however often the event
arrives, none for a free permit. Events come over real Kafka."""

import uuid
from datetime import UTC, datetime
from typing import Any

from kota_contracts.permits import ApplicationApproved, fee_invoice_reference
from kota_shared.testing.kafka import publish
from kota_shared.testing.waiting import eventually

PERMITS = "/kota-live/permits"


def _approved(applicant: str, fee: int) -> ApplicationApproved:
    return ApplicationApproved(
        application_id=uuid.uuid4(),
        applicant_id=applicant,
        permit_type="REKLAME",
        permit_type_name="Izin Penyelenggaraan Reklame",
        district_code="367101",
        fee_amount=fee,
        deemed=False,
        approved_at=datetime.now(UTC),
    )


async def _invoices_of(payments: Any, applicant: str) -> list[dict[str, Any]]:
    response = await payments.client.get(
        "/v1/payments/invoices", headers=payments.citizen(applicant)
    )
    invoices: list[dict[str, Any]] = response.json()
    return invoices


async def test_an_approval_with_a_fee_opens_one_invoice_however_often_it_arrives(
    payments: Any,
) -> None:
    applicant = f"citizen-{uuid.uuid4().hex[:8]}"
    approved = _approved(applicant, 150_000)

    await publish(
        payments.kafka_bootstrap_servers,
        approved,
        source=PERMITS,
        subject=str(approved.application_id),
        times=3,
    )

    (invoice,) = await eventually(
        lambda: _invoices_of(payments, applicant), until=bool, what="the permit's invoice"
    )
    assert invoice["source_reference"] == fee_invoice_reference(approved.application_id)
    assert invoice["amount_rupiah"] == 150_000
    assert invoice["description"] == "Retribusi Izin Penyelenggaraan Reklame"
    # A second, distinct approval event for the same application still bills once.
    again = ApplicationApproved(**{**approved.model_dump(), "approved_at": datetime.now(UTC)})
    marker = _approved(applicant, 5_000)
    for event in (again, marker):
        await publish(
            payments.kafka_bootstrap_servers,
            event,
            source=PERMITS,
            subject=str(approved.application_id),
        )
    invoices = await eventually(
        lambda: _invoices_of(payments, applicant),
        until=lambda found: len(found) == 2,
        what="the marker's invoice (so the repeat was seen)",
    )
    assert sorted(i["amount_rupiah"] for i in invoices) == [5_000, 150_000]


async def test_a_free_approval_opens_no_invoice(payments: Any) -> None:
    applicant = f"citizen-{uuid.uuid4().hex[:8]}"
    free, marker = _approved(applicant, 0), _approved(applicant, 1_000)
    subject = str(uuid.uuid4())  # one partition: the marker is applied after the free one

    for event in (free, marker):
        await publish(payments.kafka_bootstrap_servers, event, source=PERMITS, subject=subject)

    invoices = await eventually(
        lambda: _invoices_of(payments, applicant), until=bool, what="the marker's invoice"
    )
    assert [i["amount_rupiah"] for i in invoices] == [1_000]
