"""Reconciliation of the provider's settlement statement against what payments recorded."""

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
HEADER = "provider_transaction_id,channel,reference,amount,paid_at"


async def test_it_finds_payments_missing_on_either_side(payments: Any) -> None:
    recorded = await payments.invoice(f"citizen-{uuid.uuid4().hex[:8]}", amount=200_000)
    notice = payments.notice(recorded)
    await payments.settle(notice)
    unrecorded = await payments.invoice(f"citizen-{uuid.uuid4().hex[:8]}", amount=90_000)
    day = datetime.fromisoformat(notice["paid_at"]).astimezone(WIB).date()
    settled_never_reported = (
        f"SIM-LOST-{uuid.uuid4().hex[:8]},va,{unrecorded['va_number']},90000,"
        f"{datetime.now(WIB).isoformat()}"
    )
    statement = f"{HEADER}\n{settled_never_reported}\n"

    report = await payments.client.post(
        "/v1/payments/reconciliations",
        params={"day": day.isoformat()},
        content=statement,
        headers={**payments.finance(), "content-type": "text/csv"},
    )

    assert report.status_code == 200, report.text
    body = report.json()
    assert [line["reference"] for line in body["missing_in_ledger"]] == [unrecorded["va_number"]]
    assert notice["provider_transaction_id"] in {
        p["provider_transaction_id"] for p in body["missing_in_statement"]
    }


async def test_a_matching_statement_has_no_mismatch_for_that_payment(payments: Any) -> None:
    invoice = await payments.invoice(f"citizen-{uuid.uuid4().hex[:8]}", amount=75_000)
    notice = payments.notice(invoice)
    await payments.settle(notice)
    day = datetime.fromisoformat(notice["paid_at"]).astimezone(WIB).date()
    line = (
        f"{notice['provider_transaction_id']},va,{invoice['va_number']},75000,{notice['paid_at']}"
    )
    wrong_amount = line.replace(",75000,", ",70000,")

    matching = await payments.client.post(
        "/v1/payments/reconciliations",
        params={"day": day.isoformat()},
        content=f"{HEADER}\n{line}\n",
        headers={**payments.finance(), "content-type": "text/csv"},
    )
    differing = await payments.client.post(
        "/v1/payments/reconciliations",
        params={"day": day.isoformat()},
        content=f"{HEADER}\n{wrong_amount}\n",
        headers={**payments.finance(), "content-type": "text/csv"},
    )

    assert notice["provider_transaction_id"] not in {
        p["provider_transaction_id"] for p in matching.json()["missing_in_statement"]
    }
    assert matching.json()["missing_in_ledger"] == []
    assert differing.json()["amount_differs"] == [
        {
            "provider_transaction_id": notice["provider_transaction_id"],
            "statement_amount": 70_000,
            "recorded_amount": 75_000,
        }
    ]


async def test_a_malformed_statement_is_422_and_only_finance_may_reconcile(payments: Any) -> None:
    bad = await payments.client.post(
        "/v1/payments/reconciliations",
        params={"day": "2026-11-29"},
        content="id,amount\nx,1\n",
        headers={**payments.finance(), "content-type": "text/csv"},
    )
    by_citizen = await payments.client.post(
        "/v1/payments/reconciliations",
        params={"day": "2026-11-29"},
        content=f"{HEADER}\n",
        headers={**payments.citizen(), "content-type": "text/csv"},
    )

    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_settlement_statement"
    assert by_citizen.status_code == 403
