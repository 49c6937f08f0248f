"""Invoices: agencies bill citizens once per reference, with a virtual account and a QRIS
payload an independent parser accepts; citizens see only their own."""

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import qriskit

from kota_contracts.payments import InvoiceCreated
from kota_shared.testing.schema import schema_differences
from payments.channels.virtual_accounts import is_valid_va
from payments.db import Base

# Every model module, so that Base.metadata holds each table the migrations create.
from payments.invoices import models as _invoices  # noqa: F401
from payments.ledger import models as _ledger  # noqa: F401
from payments.refunds import models as _refunds  # noqa: F401
from payments.settlement import models as _settlement  # noqa: F401

INVOICES = "/v1/payments/invoices"


async def test_an_agency_bills_a_citizen_with_a_va_and_a_valid_qris(payments: Any) -> None:
    payer = f"citizen-{uuid.uuid4().hex[:8]}"

    invoice = await payments.invoice(payer, amount=275_000)

    assert invoice["status"] == "open"
    assert invoice["amount_rupiah"] == 275_000
    assert is_valid_va(invoice["va_number"], "88908")
    qris = qriskit.parse(invoice["qris_payload"], strict=True)
    assert qris.is_dynamic
    assert qris.amount == 275_000
    assert qris.additional_data.bill_number == invoice["number"]
    assert qriskit.is_valid(invoice["qris_payload"])
    events = await payments.events(invoice["id"], InvoiceCreated.event_type)
    assert events[0].data["va_number"] == invoice["va_number"]


async def test_a_citizen_sees_only_their_own_invoices(payments: Any) -> None:
    payer = f"citizen-{uuid.uuid4().hex[:8]}"
    mine = await payments.invoice(payer)
    other = await payments.invoice(f"citizen-{uuid.uuid4().hex[:8]}")
    headers = payments.citizen(payer)

    listed = await payments.client.get(INVOICES, headers=headers)
    own = await payments.client.get(f"{INVOICES}/{mine['id']}", headers=headers)
    theirs = await payments.client.get(f"{INVOICES}/{other['id']}", headers=headers)
    qr = await payments.client.get(f"{INVOICES}/{mine['id']}/qris.png", headers=headers)
    their_qr = await payments.client.get(f"{INVOICES}/{other['id']}/qris.png", headers=headers)

    assert [i["id"] for i in listed.json()] == [mine["id"]]
    assert own.status_code == 200
    assert theirs.status_code == their_qr.status_code == 404
    assert qr.headers["content-type"] == "image/png"


async def test_the_same_idempotency_key_and_body_returns_the_first_response(
    payments: Any,
) -> None:
    payer, key, reference = f"citizen-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex, "PBB-IDEM-1"
    reference = f"{reference}-{uuid.uuid4().hex[:6]}"

    first = await payments.bill(payer, reference=reference, key=key)
    again = await payments.bill(payer, reference=reference, key=key)
    other_body = await payments.bill(payer, reference=reference, key=key, amount=1)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert other_body.status_code == 422
    assert other_body.json()["code"] == "idempotency_key_reused"
    listed = await payments.client.get(INVOICES, headers=payments.citizen(payer))
    assert len(listed.json()) == 1


async def test_concurrent_duplicates_open_one_invoice(payments: Any) -> None:
    payer, key = f"citizen-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    reference = f"PBB-RACE-{uuid.uuid4().hex[:6]}"

    answers = await asyncio.gather(
        *(payments.bill(payer, reference=reference, key=key) for _ in range(8))
    )

    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    listed = await payments.client.get(INVOICES, headers=payments.citizen(payer))
    assert len(listed.json()) == 1


async def test_one_invoice_per_reference_whatever_the_key(payments: Any) -> None:
    payer = f"citizen-{uuid.uuid4().hex[:8]}"
    reference = f"PBB-REF-{uuid.uuid4().hex[:6]}"

    first = await payments.bill(payer, reference=reference)
    same = await payments.bill(payer, reference=reference)
    different = await payments.bill(payer, reference=reference, amount=999)

    assert same.json()["id"] == first.json()["id"]
    assert different.status_code == 409
    assert different.json()["code"] == "source_reference_conflict"


async def test_billing_needs_the_scope_and_a_key(payments: Any) -> None:
    body = {
        "payer_id": "citizen-x",
        "reference": "PBB-1",
        "description": "PBB",
        "lines": [{"description": "PBB", "amount_rupiah": 1000}],
        "due_at": "2099-01-01T00:00:00+07:00",
    }
    no_scope = payments.auth_headers("client-other", roles=[], scopes=["permits:verify"])

    without_scope = await payments.client.post(
        INVOICES, json=body, headers={**no_scope, "Idempotency-Key": "k1"}
    )
    by_citizen = await payments.client.post(
        INVOICES, json=body, headers={**payments.citizen(), "Idempotency-Key": "k1"}
    )
    without_key = await payments.client.post(INVOICES, json=body, headers=payments.agency())

    assert without_scope.status_code == by_citizen.status_code == 403
    assert without_key.status_code == 400
    assert without_key.json()["code"] == "idempotency_key_required"


async def test_bad_bills_are_422(payments: Any) -> None:
    past = await payments.bill("citizen-x", due_in=-timedelta(days=1))
    zero = await payments.bill("citizen-x", amount=0)

    assert past.status_code == zero.status_code == 422


async def test_the_migration_creates_what_the_models_declare(payments_database: str) -> None:
    assert await schema_differences(payments_database, Base.metadata) == []


async def test_lines_adding_up_beyond_what_qris_carries_are_422_not_500(payments: Any) -> None:
    line = {"description": "Retribusi", "amount_rupiah": 9_000_000_000_000}

    response = await payments.client.post(
        INVOICES,
        json={
            "payer_id": "citizen-x",
            "reference": f"BIG-{uuid.uuid4().hex[:8]}",
            "description": "Two lines, each allowed, too much together",
            "lines": [line, line],
            "due_at": "2030-01-01T00:00:00+07:00",
        },
        headers={**payments.agency(), "Idempotency-Key": uuid.uuid4().hex},
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "validation_failed"
