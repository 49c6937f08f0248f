"""What payments reports about a fee: the invoice opened → remembered; paid → the permit is
issued (once, however often the report arrives); expired → the application expires. Reports
come over real Kafka, written by the test as payments would (or as a forger would, through
the test harness's listener, which is exactly what the broker's ACLs stop outside tests): a
report that contradicts what permits knows (another invoice, another amount) is refused."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import REGISTRY

from kota_contracts.payments import InvoiceCreated, InvoiceExpired, InvoicePaid
from kota_contracts.permits import ApplicationExpired, PermitIssued, fee_invoice_reference
from kota_shared.testing.kafka import publish
from kota_shared.testing.waiting import eventually

PAYMENTS = "/kota-live/payments"
FEE = 125_000


async def _awaiting_payment(permits: Any) -> tuple[dict[str, str], dict[str, Any]]:
    permit_type = await permits.define_type(fee_rule={"kind": "fixed", "amount": FEE})
    citizen = permits.citizen()
    approved = await permits.approved(citizen, permits.officer(), permit_type)
    assert approved["status"] == "awaiting_payment"
    assert approved["fee_amount"] == FEE
    return citizen, approved


def _created(
    application: dict[str, Any], invoice_id: uuid.UUID, *, amount: int = FEE
) -> InvoiceCreated:
    return InvoiceCreated(
        invoice_id=invoice_id,
        number="KL2026-00000001",
        payer_id=application["applicant_id"],
        source="permits",
        source_reference=fee_invoice_reference(uuid.UUID(application["id"])),
        amount=amount,
        due_at=datetime.now(UTC) + timedelta(days=7),
        va_number="8808000000000001",
        created_at=datetime.now(UTC),
    )


async def _invoice_opened(
    permits: Any, application: dict[str, Any], *, subject: str | None = None
) -> uuid.UUID:
    """Payments' announcement of the fee's invoice, as it follows the approval."""
    invoice_id = uuid.uuid4()
    await publish(
        permits.kafka_bootstrap_servers,
        _created(application, invoice_id),
        source=PAYMENTS,
        subject=subject or str(invoice_id),
    )
    return invoice_id


def _refused(reason: str) -> float:
    sample = REGISTRY.get_sample_value(
        "permits_payment_reports_refused_total",
        {"event_type": InvoicePaid.event_type, "reason": reason},
    )
    return sample or 0.0


async def _status(permits: Any, citizen: dict[str, str], application_id: str) -> str:
    read = await permits.client.get(f"/v1/permits/applications/{application_id}", headers=citizen)
    return str(read.json()["status"])


async def test_a_paid_fee_issues_the_permit_once(permits: Any) -> None:
    citizen, application = await _awaiting_payment(permits)
    invoice_id = await _invoice_opened(permits, application)
    paid = InvoicePaid(
        invoice_id=invoice_id,
        number="KL2026-00000001",
        payer_id=application["applicant_id"],
        source="permits",
        source_reference=fee_invoice_reference(uuid.UUID(application["id"])),
        amount=FEE,
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
    invoice_id = await _invoice_opened(permits, application)
    expired = InvoiceExpired(
        invoice_id=invoice_id,
        payer_id=application["applicant_id"],
        source="permits",
        source_reference=fee_invoice_reference(uuid.UUID(application["id"])),
        amount=FEE,
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


def _paid(
    application: dict[str, Any],
    *,
    invoice_id: uuid.UUID,
    source: str = "permits",
    amount: int = FEE,
) -> InvoicePaid:
    return InvoicePaid(
        invoice_id=invoice_id,
        number="KL2026-00000002",
        payer_id=application["applicant_id"],
        source=source,
        source_reference=fee_invoice_reference(uuid.UUID(application["id"])),
        amount=amount,
        channel="qris",
        provider_transaction_id=f"SIM-{uuid.uuid4().hex[:8]}",
        paid_at=datetime.now(UTC),
    )


async def _publish_all(permits: Any, *reports: Any, subject: str) -> None:
    # One key: one partition, so the reports arrive in this order and the last (a genuine
    # one, applied) proves the earlier ones were read, without waiting for a negative.
    for report in reports:
        await publish(permits.kafka_bootstrap_servers, report, source=PAYMENTS, subject=subject)


async def test_another_services_invoice_is_ignored(permits: Any) -> None:
    citizen, application = await _awaiting_payment(permits)
    other_citizen, marker_application = await _awaiting_payment(permits)
    subject = str(uuid.uuid4())
    invoice_id = await _invoice_opened(permits, application, subject=subject)
    marker_invoice = await _invoice_opened(permits, marker_application, subject=subject)

    await _publish_all(
        permits,
        _paid(application, invoice_id=invoice_id, source="health"),
        _paid(marker_application, invoice_id=marker_invoice),
        subject=subject,
    )

    await eventually(
        lambda: _status(permits, other_citizen, marker_application["id"]),
        until=lambda status: status == "issued",
        what="the later, genuine report applied",
    )
    assert await _status(permits, citizen, application["id"]) == "awaiting_payment"


async def test_a_forged_payment_of_one_rupiah_does_not_issue_the_permit(permits: Any) -> None:
    """The probe's attack: a hand-written ``paid`` for the right invoice, with amount 1."""
    citizen, application = await _awaiting_payment(permits)
    other_citizen, marker_application = await _awaiting_payment(permits)
    subject = str(uuid.uuid4())
    invoice_id = await _invoice_opened(permits, application, subject=subject)
    marker_invoice = await _invoice_opened(permits, marker_application, subject=subject)
    refused_before = _refused("amount_is_not_the_fee")

    await _publish_all(
        permits,
        _paid(application, invoice_id=invoice_id, amount=1),
        _paid(marker_application, invoice_id=marker_invoice),
        subject=subject,
    )

    await eventually(
        lambda: _status(permits, other_citizen, marker_application["id"]),
        until=lambda status: status == "issued",
        what="the later, genuine report applied",
    )
    assert await _status(permits, citizen, application["id"]) == "awaiting_payment"
    assert _refused("amount_is_not_the_fee") == refused_before + 1

    # The genuine payment of that invoice still issues the permit.
    await _publish_all(permits, _paid(application, invoice_id=invoice_id), subject=subject)
    await eventually(
        lambda: _status(permits, citizen, application["id"]),
        until=lambda status: status == "issued",
        what="the genuine payment applied",
    )


async def test_a_payment_of_another_invoice_does_not_issue_the_permit(permits: Any) -> None:
    """The fee's amount, the application's reference, but not the invoice opened for it."""
    citizen, application = await _awaiting_payment(permits)
    other_citizen, marker_application = await _awaiting_payment(permits)
    subject = str(uuid.uuid4())
    invoice_id = await _invoice_opened(permits, application, subject=subject)
    marker_invoice = await _invoice_opened(permits, marker_application, subject=subject)
    refused_before = _refused("another_invoice")

    await _publish_all(
        permits,
        _paid(application, invoice_id=uuid.uuid4()),
        _paid(marker_application, invoice_id=marker_invoice),
        subject=subject,
    )

    await eventually(
        lambda: _status(permits, other_citizen, marker_application["id"]),
        until=lambda status: status == "issued",
        what="the later, genuine report applied",
    )
    assert await _status(permits, citizen, application["id"]) == "awaiting_payment"
    assert _refused("another_invoice") == refused_before + 1
    await _publish_all(permits, _paid(application, invoice_id=invoice_id), subject=subject)
    await eventually(
        lambda: _status(permits, citizen, application["id"]),
        until=lambda status: status == "issued",
        what="the genuine payment applied",
    )


async def test_a_payment_before_any_invoice_was_opened_is_refused(permits: Any) -> None:
    citizen, application = await _awaiting_payment(permits)
    other_citizen, marker_application = await _awaiting_payment(permits)
    subject = str(uuid.uuid4())
    marker_invoice = await _invoice_opened(permits, marker_application, subject=subject)

    await _publish_all(
        permits,
        _paid(application, invoice_id=uuid.uuid4()),
        _paid(marker_application, invoice_id=marker_invoice),
        subject=subject,
    )

    await eventually(
        lambda: _status(permits, other_citizen, marker_application["id"]),
        until=lambda status: status == "issued",
        what="the later, genuine report applied",
    )
    assert await _status(permits, citizen, application["id"]) == "awaiting_payment"


async def test_an_invoice_for_another_amount_than_the_fee_is_not_trusted(permits: Any) -> None:
    """An invoice announced for less than the fee: paying it must not issue the permit."""
    citizen, application = await _awaiting_payment(permits)
    other_citizen, marker_application = await _awaiting_payment(permits)
    subject = str(uuid.uuid4())
    cheap_invoice = uuid.uuid4()
    marker_invoice = await _invoice_opened(permits, marker_application, subject=subject)

    await _publish_all(
        permits,
        _created(application, cheap_invoice, amount=1),
        _paid(application, invoice_id=cheap_invoice, amount=1),
        _paid(marker_application, invoice_id=marker_invoice),
        subject=subject,
    )

    await eventually(
        lambda: _status(permits, other_citizen, marker_application["id"]),
        until=lambda status: status == "issued",
        what="the later, genuine report applied",
    )
    assert await _status(permits, citizen, application["id"]) == "awaiting_payment"


async def test_an_expiry_of_another_invoice_does_not_expire_the_application(
    permits: Any,
) -> None:
    citizen, application = await _awaiting_payment(permits)
    other_citizen, marker_application = await _awaiting_payment(permits)
    subject = str(uuid.uuid4())
    await _invoice_opened(permits, application, subject=subject)
    marker_invoice = await _invoice_opened(permits, marker_application, subject=subject)
    forged = InvoiceExpired(
        invoice_id=uuid.uuid4(),
        payer_id=application["applicant_id"],
        source="permits",
        source_reference=fee_invoice_reference(uuid.UUID(application["id"])),
        amount=FEE,
        expired_at=datetime.now(UTC),
    )

    await _publish_all(
        permits, forged, _paid(marker_application, invoice_id=marker_invoice), subject=subject
    )

    await eventually(
        lambda: _status(permits, other_citizen, marker_application["id"]),
        until=lambda status: status == "issued",
        what="the later, genuine report applied",
    )
    assert await _status(permits, citizen, application["id"]) == "awaiting_payment"
