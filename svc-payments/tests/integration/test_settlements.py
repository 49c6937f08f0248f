"""The provider's settlement callbacks: verified on the raw body, applied once, refused
with the right 4xx when anything is off, and late payments refunded."""

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from kota_contracts.payments import InvoicePaid, RefundIssued
from payments.expiry import sweep


def _payer() -> str:
    return f"citizen-{uuid.uuid4().hex[:8]}"


async def _provider_fees(payments: Any) -> int:
    check = await payments.client.get("/v1/payments/ledger/check", headers=payments.finance())
    return int(check.json()["balances"].get("provider_fees", 0))


async def test_a_va_payment_pays_the_invoice_and_is_announced(payments: Any) -> None:
    invoice = await payments.invoice(_payer(), amount=500_000)
    notice = payments.notice(invoice)

    fees_before = await _provider_fees(payments)

    answer = await payments.settle(notice)

    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "accepted"
    assert await _provider_fees(payments) == fees_before + 4_000  # the bank's VA fee, posted
    paid = await payments.read(invoice["id"])
    assert (paid["status"], paid["paid_rupiah"]) == ("paid", 500_000)
    events = await payments.events(invoice["id"], InvoicePaid.event_type)
    (event,) = [e for e in events if e["type"] == InvoicePaid.event_type]
    assert event.data["provider_transaction_id"] == notice["provider_transaction_id"]
    assert event.data["channel"] == "va"


async def test_a_qris_payment_is_matched_by_its_bill_number(payments: Any) -> None:
    invoice = await payments.invoice(_payer())

    answer = await payments.settle(payments.notice(invoice, channel="qris"))

    assert answer.json()["status"] == "accepted"
    assert (await payments.read(invoice["id"]))["status"] == "paid"


async def test_the_same_callback_five_times_also_at_once_records_one_payment(
    payments: Any,
) -> None:
    invoice = await payments.invoice(_payer())
    notice = payments.notice(invoice)

    sequential = [await payments.settle(notice) for _ in range(2)]
    concurrent = await asyncio.gather(*(payments.settle(notice) for _ in range(3)))
    answers = [*sequential, *concurrent]

    assert [a.status_code for a in answers] == [200] * 5
    assert sorted(a.json()["status"] for a in answers) == ["accepted"] + ["duplicate"] * 4
    assert (await payments.read(invoice["id"]))["paid_rupiah"] == invoice["amount_rupiah"]
    events = await payments.events(invoice["id"], InvoicePaid.event_type)
    assert [e["type"] for e in events].count(InvoicePaid.event_type) == 1


async def test_concurrent_duplicates_racing_first_record_one_payment(payments: Any) -> None:
    invoice = await payments.invoice(_payer())
    notice = payments.notice(invoice)

    answers = await asyncio.gather(*(payments.settle(notice) for _ in range(5)))

    assert sorted(a.json()["status"] for a in answers) == ["accepted"] + ["duplicate"] * 4
    assert (await payments.read(invoice["id"]))["paid_rupiah"] == invoice["amount_rupiah"]


async def test_a_bad_signature_is_401_and_changes_nothing(payments: Any) -> None:
    invoice = await payments.invoice(_payer())
    notice = payments.notice(invoice)
    forged_secret = "whsec_" + "Zm9yZ2VkLXNlY3JldC1mb3ItdGVzdHMtMDEyMzQ1Ng=="

    forged = await payments.settle(notice, secret=forged_secret)
    tampered = await payments.client.post(
        "/v1/payments/callbacks/settlements",
        content=json.dumps({**notice, "amount": 1}),
        headers=_signed_headers_for(payments, notice),
    )
    unsigned = await payments.client.post("/v1/payments/callbacks/settlements", json=notice)

    assert forged.status_code == tampered.status_code == unsigned.status_code == 401
    assert forged.json()["code"] == "invalid_callback_signature"
    assert (await payments.read(invoice["id"]))["status"] == "open"


def _signed_headers_for(payments: Any, notice: dict[str, Any]) -> dict[str, str]:
    """Headers that sign ``notice`` exactly, to be sent with a different body."""
    from standardwebhooks.webhooks import Webhook

    now = datetime.now(UTC)
    body = json.dumps(notice)
    return {
        "webhook-id": "msg_tamper",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(payments.current_secret).sign("msg_tamper", now, body),
        "content-type": "application/json",
    }


async def test_a_stale_or_future_timestamp_is_400_and_changes_nothing(payments: Any) -> None:
    invoice = await payments.invoice(_payer())
    notice = payments.notice(invoice)

    stale = await payments.settle(notice, sent_at=datetime.now(UTC) - timedelta(minutes=6))
    future = await payments.settle(notice, sent_at=datetime.now(UTC) + timedelta(minutes=6))

    assert stale.status_code == future.status_code == 400
    assert stale.json()["code"] == "callback_timestamp_out_of_range"
    assert (await payments.read(invoice["id"]))["status"] == "open"


async def test_the_previous_secret_still_verifies_during_a_rotation(payments: Any) -> None:
    invoice = await payments.invoice(_payer())

    answer = await payments.settle(payments.notice(invoice), secret=payments.previous_secret)

    assert answer.json()["status"] == "accepted"


async def test_a_wrong_amount_is_refused_flagged_and_changes_nothing(payments: Any) -> None:
    invoice = await payments.invoice(_payer(), amount=300_000)
    notice = payments.notice(invoice, amount=299_000)

    answer = await payments.settle(notice)

    assert answer.status_code == 422
    assert answer.json()["code"] == "amount_mismatch"
    assert (await payments.read(invoice["id"]))["status"] == "open"
    anomalies = await payments.client.get("/v1/payments/anomalies", headers=payments.finance())
    flagged = [
        a
        for a in anomalies.json()
        if a["provider_transaction_id"] == notice["provider_transaction_id"]
    ]
    assert [(a["kind"], a["amount_rupiah"], a["expected_rupiah"]) for a in flagged] == [
        ("amount_mismatch", 299_000, 300_000)
    ]
    assert (
        await payments.client.get("/v1/payments/anomalies", headers=payments.citizen())
    ).status_code == 403


async def test_an_unknown_reference_is_422(payments: Any) -> None:
    invoice = await payments.invoice(_payer())
    notice = {**payments.notice(invoice), "reference": "8890899999999999"}

    answer = await payments.settle(notice)

    assert answer.status_code == 422
    assert answer.json()["code"] == "unknown_payment_reference"


async def test_a_malformed_notice_is_422(payments: Any) -> None:
    invoice = await payments.invoice(_payer())
    notice = {**payments.notice(invoice), "amount": "lots"}

    answer = await payments.settle(notice)

    assert answer.status_code == 422
    assert answer.json()["code"] == "validation_failed"


async def test_a_payment_on_an_expired_invoice_is_recorded_and_refunded(
    payments: Any, payments_app: Any
) -> None:
    invoice = await payments.invoice(_payer(), due_in=timedelta(hours=1))
    due_at = datetime.fromisoformat(invoice["due_at"])
    await sweep(
        payments_app.state.sessionmaker,
        outbox=payments_app.state.runtime.outbox,
        clock=lambda: due_at + timedelta(seconds=1),
        settings=payments_app.state.runtime.settings,
    )
    assert (await payments.read(invoice["id"]))["status"] == "expired"

    answer = await payments.settle(payments.notice(invoice))

    assert answer.status_code == 200
    assert answer.json()["status"] == "refunded"
    assert (await payments.read(invoice["id"]))["status"] == "expired"
    events = await payments.events(invoice["id"], RefundIssued.event_type)
    (refund,) = [e for e in events if e["type"] == RefundIssued.event_type]
    assert refund.data["amount"] == invoice["amount_rupiah"]
