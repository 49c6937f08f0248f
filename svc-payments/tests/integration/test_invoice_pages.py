"""A citizen's invoices come in pages: ``limit`` is honoured, ``Link: rel="next"`` leads
through every invoice once, in order, and a cursor that is not ours is a 400, not a 500."""

import base64
import json
import uuid
from datetime import timedelta
from typing import Any

from kota_shared.testing.pages import every_page, next_link

INVOICES = "/v1/payments/invoices"


async def test_limit_is_honoured_and_next_links_walk_every_invoice_once(payments: Any) -> None:
    payer = f"citizen-{uuid.uuid4().hex[:8]}"
    billed = [await payments.invoice(payer, due_in=timedelta(days=3 + n)) for n in range(7)]
    headers = payments.citizen(payer)

    pages = await every_page(payments.client, f"{INVOICES}?limit=3", headers=headers)

    assert [len(page) for page in pages] == [3, 3, 1]
    assert [i["id"] for page in pages for i in page] == [i["id"] for i in billed]


async def test_a_full_last_page_has_no_next_link(payments: Any) -> None:
    payer = f"citizen-{uuid.uuid4().hex[:8]}"
    for _ in range(2):
        await payments.invoice(payer)

    response = await payments.client.get(f"{INVOICES}?limit=2", headers=payments.citizen(payer))

    assert len(response.json()) == 2
    assert next_link(response) is None


async def test_limit_is_capped(payments: Any) -> None:
    response = await payments.client.get(f"{INVOICES}?limit=5000", headers=payments.citizen())

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def _cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


async def test_a_cursor_that_is_not_ours_is_a_400_problem(payments: Any) -> None:
    headers = payments.citizen()
    for cursor in (
        "not-base64-json!",
        _cursor([]),
        _cursor(["yesterday", {"u": str(uuid.uuid4())}]),  # a string where a time belongs
        _cursor([{"t": "2026-12-03T10:00:00"}, {"u": str(uuid.uuid4())}]),  # no time zone
        _cursor([{"t": "2026-12-03T10:00:00+07:00"}]),  # one value short
        _cursor([[[[1]]], 2]),
    ):
        response = await payments.client.get(f"{INVOICES}?cursor={cursor}", headers=headers)

        assert response.status_code == 400, (cursor, response.text)
        assert response.json()["code"] == "invalid_cursor"


async def test_refused_reports_page_newest_first(payments: Any) -> None:
    invoice = await payments.invoice(f"citizen-{uuid.uuid4().hex[:8]}", amount=300_000)
    refused = []
    for _ in range(3):
        notice = payments.notice(invoice, amount=1_000)
        assert (await payments.settle(notice)).status_code == 422
        refused.append(notice["provider_transaction_id"])

    first = await payments.client.get("/v1/payments/anomalies?limit=2", headers=payments.finance())
    second_link = next_link(first)
    assert second_link is not None
    second = await payments.client.get(second_link, headers=payments.finance())

    newest_three = [a["provider_transaction_id"] for a in first.json() + second.json()][:3]
    assert newest_three == list(reversed(refused))
