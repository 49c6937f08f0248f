"""Unpaid invoices expire at their due date (time moved, not waited for), and finance
officers can cancel an open one; both are announced."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from kota_contracts.payments import InvoiceCancelled, InvoiceExpired
from payments.expiry import sweep


async def test_an_unpaid_invoice_expires_at_its_due_date_once(
    payments: Any, payments_app: Any
) -> None:
    invoice = await payments.invoice(f"citizen-{uuid.uuid4().hex[:8]}", due_in=timedelta(days=3))
    due_at = datetime.fromisoformat(invoice["due_at"])

    async def sweep_at(moment: datetime) -> None:
        await sweep(
            payments_app.state.sessionmaker,
            outbox=payments_app.state.runtime.outbox,
            clock=lambda: moment,
            settings=payments_app.state.runtime.settings,
        )

    await sweep_at(due_at - timedelta(seconds=1))
    assert (await payments.read(invoice["id"]))["status"] == "open"
    await sweep_at(due_at)
    await sweep_at(due_at + timedelta(days=1))

    assert (await payments.read(invoice["id"]))["status"] == "expired"
    events = await payments.events(invoice["id"], InvoiceExpired.event_type)
    assert [e["type"] for e in events].count(InvoiceExpired.event_type) == 1


async def test_a_finance_officer_cancels_an_open_invoice(payments: Any) -> None:
    invoice = await payments.invoice(f"citizen-{uuid.uuid4().hex[:8]}")
    url = f"/v1/payments/invoices/{invoice['id']}/cancel"

    by_citizen = await payments.client.post(
        url, json={"reason": "salah tagih"}, headers=payments.citizen()
    )
    cancelled = await payments.client.post(
        url, json={"reason": "salah tagih"}, headers=payments.finance()
    )
    again = await payments.client.post(
        url, json={"reason": "salah tagih"}, headers=payments.finance()
    )

    assert by_citizen.status_code == 403
    assert cancelled.json()["status"] == "cancelled"
    assert again.status_code == 409
    events = await payments.events(invoice["id"], InvoiceCancelled.event_type)
    assert events[-1].data["reason"] == "salah tagih"
