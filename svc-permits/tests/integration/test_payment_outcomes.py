"""What payments reports about a fee: paid → the permit is issued (once, however often the
report arrives); expired → the application expires. Reports come over real Kafka."""

import uuid
from datetime import UTC, datetime
from typing import Any

from kota_contracts.payments import InvoiceExpired, InvoicePaid
from kota_contracts.permits import ApplicationExpired, PermitIssued, fee_invoice_reference
from kota_shared.testing.kafka import publish
from kota_shared.testing.waiting import eventually

PAYMENTS = "/kota-live/payments"


async def _awaiting_payment(permits: Any) -> tuple[dict[str, str], dict[str, Any]]:
    permit_type = await permits.define_type(fee_rule={"kind": "fixed", "amount": 125_000})
    citizen = permits.citizen()
    approved = await permits.approved(citizen, permits.officer(), permit_type)
    assert approved["status"] == "awaiting_payment"
    return citizen, approved


async def _status(permits: Any, citizen: dict[str, str], application_id: str) -> str:
    read = await permits.client.get(f"/v1/permits/applications/{application_id}", headers=citizen)
    return str(read.json()["status"])


async def test_a_paid_fee_issues_the_permit_once(permits: Any) -> None:
    citizen, application = await _awaiting_payment(permits)
    invoice_id = uuid.uuid4()
    paid = InvoicePaid(
        invoice_id=invoice_id,
        number="KL2026-00000001",
        payer_id=application["applicant_id"],
        source="permits",
        source_reference=fee_invoice_reference(uuid.UUID(application["id"])),
        amount=125_000,
        channel="va",
        provider_transaction_id="SIM-TEST-1",
        paid_at=datetime.now(UTC),
    )

    await publish(
        permits.kafka_bootstrap_servers, paid, source=PAYMENTS, subject=str(invoice_id), times=3
    )

    await eventually(
        lambda: _status(permits, citizen, application["id"]),
        until=lambda status: status == "issued",
        what="the permit issued after payment",
    )
    events = await permits.events(application["id"], PermitIssued.event_type)
    assert [e["type"] for e in events].count(PermitIssued.event_type) == 1
    history = await permits.client.get(
        f"/v1/permits/applications/{application['id']}/history", headers=citizen
    )
    assert [s["action"] for s in history.json()][-1] == "record_payment"


async def test_an_expired_invoice_expires_the_application(permits: Any) -> None:
    citizen, application = await _awaiting_payment(permits)
    invoice_id = uuid.uuid4()
    expired = InvoiceExpired(
        invoice_id=invoice_id,
        payer_id=application["applicant_id"],
        source="permits",
        source_reference=fee_invoice_reference(uuid.UUID(application["id"])),
        amount=125_000,
        expired_at=datetime.now(UTC),
    )

    await publish(
        permits.kafka_bootstrap_servers, expired, source=PAYMENTS, subject=str(invoice_id)
    )

    await eventually(
        lambda: _status(permits, citizen, application["id"]),
        until=lambda status: status == "expired",
        what="the application expired",
    )
    events = await permits.events(application["id"], ApplicationExpired.event_type)
    assert events[-1].data["applicant_id"] == application["applicant_id"]


def _paid(application: dict[str, Any], *, source: str) -> InvoicePaid:
    return InvoicePaid(
        invoice_id=uuid.uuid4(),
        number="KL2026-00000002",
        payer_id=application["applicant_id"],
        source=source,
        source_reference=fee_invoice_reference(uuid.UUID(application["id"])),
        amount=125_000,
        channel="qris",
        provider_transaction_id=f"SIM-{uuid.uuid4().hex[:8]}",
        paid_at=datetime.now(UTC),
    )


async def test_another_services_invoice_is_ignored(permits: Any) -> None:
    citizen, application = await _awaiting_payment(permits)
    other_citizen, marker_application = await _awaiting_payment(permits)
    subject = str(uuid.uuid4())  # one key: one partition, so the two arrive in this order

    await publish(
        permits.kafka_bootstrap_servers,
        _paid(application, source="health"),
        source=PAYMENTS,
        subject=subject,
    )
    await publish(
        permits.kafka_bootstrap_servers,
        _paid(marker_application, source="permits"),
        source=PAYMENTS,
        subject=subject,
    )

    await eventually(
        lambda: _status(permits, other_citizen, marker_application["id"]),
        until=lambda status: status == "issued",
        what="the later, genuine report applied",
    )
    assert await _status(permits, citizen, application["id"]) == "awaiting_payment"
