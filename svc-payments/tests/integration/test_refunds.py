"""Refunds by finance officers: partial then full, never above what remains, idempotent."""

import uuid
from typing import Any

from kota_contracts.payments import RefundIssued


async def _paid_invoice(payments: Any, amount: int = 400_000) -> dict[str, Any]:
    invoice = await payments.invoice(f"citizen-{uuid.uuid4().hex[:8]}", amount=amount)
    answer = await payments.settle(payments.notice(invoice))
    assert answer.json()["status"] == "accepted"
    return invoice


async def _refund(
    payments: Any, invoice_id: str, amount: int, *, key: str | None = None, **extra: Any
) -> Any:
    return await payments.client.post(
        f"/v1/payments/invoices/{invoice_id}/refunds",
        json={"amount_rupiah": amount, "reason": "Permohonan dibatalkan", **extra},
        headers={**payments.finance(), "Idempotency-Key": key or uuid.uuid4().hex},
    )


async def test_a_partial_then_a_full_refund(payments: Any) -> None:
    invoice = await _paid_invoice(payments)

    partial = await _refund(payments, invoice["id"], 150_000)
    after_partial = await payments.read(invoice["id"])
    rest = await _refund(payments, invoice["id"], 250_000)
    after_rest = await payments.read(invoice["id"])

    assert partial.status_code == rest.status_code == 201
    assert (after_partial["status"], after_partial["refunded_rupiah"]) == (
        "partially_refunded",
        150_000,
    )
    assert (after_rest["status"], after_rest["refunded_rupiah"]) == ("refunded", 400_000)
    events = await payments.events(invoice["id"], RefundIssued.event_type)
    remaining = [
        e.data["remaining_refundable"] for e in events if e["type"] == RefundIssued.event_type
    ]
    assert remaining == [250_000, 0]


async def test_a_refund_above_what_remains_is_refused(payments: Any) -> None:
    invoice = await _paid_invoice(payments)
    await _refund(payments, invoice["id"], 300_000)

    too_much = await _refund(payments, invoice["id"], 100_001)

    assert too_much.status_code == 422
    assert too_much.json()["code"] == "refund_exceeds_refundable"
    assert too_much.json()["refundable"] == 100_000
    assert (await payments.read(invoice["id"]))["refunded_rupiah"] == 300_000


async def test_a_stale_idea_of_the_refundable_amount_is_412(payments: Any) -> None:
    invoice = await _paid_invoice(payments)
    await _refund(payments, invoice["id"], 100_000)

    stale = await _refund(payments, invoice["id"], 50_000, expected_refundable_rupiah=400_000)

    assert stale.status_code == 412
    assert stale.json()["code"] == "refundable_amount_changed"


async def test_the_same_refund_request_twice_refunds_once(payments: Any) -> None:
    invoice = await _paid_invoice(payments)
    key = uuid.uuid4().hex

    first = await _refund(payments, invoice["id"], 100_000, key=key)
    again = await _refund(payments, invoice["id"], 100_000, key=key)

    assert first.status_code == 201, first.text
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert (await payments.read(invoice["id"]))["refunded_rupiah"] == 100_000


async def test_only_paid_invoices_are_refunded_and_only_by_finance(payments: Any) -> None:
    unpaid = await payments.invoice(f"citizen-{uuid.uuid4().hex[:8]}")
    paid = await _paid_invoice(payments)

    open_refund = await _refund(payments, unpaid["id"], 1_000)
    by_citizen = await payments.client.post(
        f"/v1/payments/invoices/{paid['id']}/refunds",
        json={"amount_rupiah": 1_000, "reason": "saya mau"},
        headers={**payments.citizen(), "Idempotency-Key": "k"},
    )

    assert open_refund.status_code == 409
    assert open_refund.json()["code"] == "invoice_not_refundable"
    assert by_citizen.status_code == 403
