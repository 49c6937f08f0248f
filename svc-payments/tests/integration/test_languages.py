"""Bahasa Indonesia first: what payments answers a person is Indonesian unless English is
asked for (``Accept-Language: en``), amounts written the Indonesian way (``Rp100.000``)."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

INVOICES = "/v1/payments/invoices"
RECONCILIATIONS = "/v1/payments/reconciliations"
ENGLISH = {"Accept-Language": "en"}


def _payer() -> str:
    return f"citizen-{uuid.uuid4().hex[:8]}"


def _in(response: httpx.Response, language: str) -> dict[str, Any]:
    """The problem ``response`` holds, after checking that it says it is in ``language``."""
    assert response.headers["content-language"] == language
    assert "accept-language" in response.headers["vary"].lower()
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["type"] == f"/problems/{problem['code']}"
    return problem


async def _refund(payments: Any, invoice_id: str, amount: int, **headers: str) -> httpx.Response:
    return await payments.client.post(
        f"{INVOICES}/{invoice_id}/refunds",
        json={"amount_rupiah": amount, "reason": "Permohonan dibatalkan"},
        headers={**payments.finance(), "Idempotency-Key": uuid.uuid4().hex, **headers},
    )


async def test_a_refund_above_what_remains_is_explained_in_indonesian_or_english(
    payments: Any,
) -> None:
    invoice = await payments.invoice(_payer(), amount=400_000)
    assert (await payments.settle(payments.notice(invoice))).json()["status"] == "accepted"
    assert (await _refund(payments, invoice["id"], 300_000)).status_code == 201

    indonesian = _in(await _refund(payments, invoice["id"], 100_001), "id")
    english = _in(await _refund(payments, invoice["id"], 100_001, **ENGLISH), "en")

    assert indonesian["code"] == english["code"] == "refund_exceeds_refundable"
    assert indonesian["title"] == "Jumlah pengembalian melebihi sisa yang dapat dikembalikan."
    assert indonesian["detail"] == "Paling banyak Rp100.000 yang masih dapat dikembalikan."
    assert english["title"] == "The refund is larger than what can still be refunded."
    assert english["detail"] == "At most Rp100.000 can still be refunded."
    assert indonesian["refundable"] == english["refundable"] == 100_000


async def test_a_wrong_amount_is_told_in_rupiah_the_indonesian_way(payments: Any) -> None:
    invoice = await payments.invoice(_payer(), amount=300_000)

    indonesian = _in(await payments.settle(payments.notice(invoice, amount=299_000)), "id")
    english = _in(
        await payments.settle(payments.notice(invoice, amount=299_000), headers=ENGLISH), "en"
    )

    assert indonesian["code"] == "amount_mismatch"
    assert indonesian["title"] == "Jumlah pembayaran tidak sesuai dengan tagihan."
    assert indonesian["detail"] == (
        "Jumlah yang dibayar Rp299.000, sedangkan tagihannya Rp300.000."
    )
    assert english["detail"] == "Rp299.000 was paid; the invoice is for Rp300.000."
    assert indonesian["expected"] == 300_000


async def test_a_stale_callback_is_refused_in_indonesian(payments: Any) -> None:
    invoice = await payments.invoice(_payer())
    stale = datetime.now(UTC) - timedelta(minutes=6)

    problem = _in(await payments.settle(payments.notice(invoice), sent_at=stale), "id")

    assert problem["code"] == "callback_timestamp_out_of_range"
    assert problem["detail"] == (
        "Cap waktu yang berselisih lebih dari 300 detik dari waktu sekarang ditolak."
    )


async def test_lines_adding_up_beyond_one_invoice_are_refused_in_indonesian(
    payments: Any,
) -> None:
    line = {"description": "Retribusi", "amount_rupiah": 9_000_000_000_000}
    body = {
        "payer_id": "citizen-x",
        "reference": f"BIG-{uuid.uuid4().hex[:8]}",
        "description": "Two lines, each allowed, too much together",
        "lines": [line, line],
        "due_at": "2030-01-01T00:00:00+07:00",
    }

    async def bill(**headers: str) -> httpx.Response:
        return await payments.client.post(
            INVOICES,
            json=body,
            headers={**payments.agency(), "Idempotency-Key": uuid.uuid4().hex, **headers},
        )

    indonesian = _in(await bill(), "id")
    english = _in(await bill(**ENGLISH), "en")

    assert indonesian["code"] == "validation_failed"
    assert [(e["field"], e["message"]) for e in indonesian["errors"]] == [
        (
            "body",
            "Jumlah seluruh rincian Rp18.000.000.000.000; "
            "satu tagihan paling banyak Rp9.999.999.999.999.",
        )
    ]
    assert [e["message"] for e in english["errors"]] == [
        "The lines add up to Rp18.000.000.000.000; one invoice takes at most Rp9.999.999.999.999."
    ]


async def test_a_due_date_in_the_past_is_refused_in_indonesian(payments: Any) -> None:
    problem = _in(await payments.bill(_payer(), due_in=-timedelta(days=1)), "id")

    assert problem["code"] == "validation_failed"
    assert problem["detail"] == "Tanggal jatuh tempo harus di masa mendatang."


async def test_someone_elses_invoice_is_not_found_in_indonesian_or_english(
    payments: Any,
) -> None:
    invoice = await payments.invoice(_payer())
    url = f"{INVOICES}/{invoice['id']}"

    indonesian = _in(await payments.client.get(url, headers=payments.citizen()), "id")
    english = _in(await payments.client.get(url, headers={**payments.citizen(), **ENGLISH}), "en")

    assert indonesian["code"] == english["code"] == "not_found"
    assert indonesian["detail"] == "Tidak ada tagihan dengan ID ini yang ditujukan kepada Anda."
    assert english["detail"] == "No invoice with this id is addressed to you."


async def test_a_refund_of_an_invoice_that_does_not_exist_is_not_found_in_indonesian(
    payments: Any,
) -> None:
    problem = _in(await _refund(payments, str(uuid.uuid4()), 1_000), "id")

    assert problem["code"] == "not_found"
    assert problem["detail"] == "Tidak ada tagihan dengan ID ini."


async def test_a_malformed_statement_is_explained_line_by_line_in_indonesian(
    payments: Any,
) -> None:
    statement = (
        "provider_transaction_id,channel,reference,amount,paid_at\n"
        "trx-1,cash,ref,1.5,2026-03-01T10:15:00+07:00\n"
    )

    async def reconcile(**headers: str) -> httpx.Response:
        return await payments.client.post(
            RECONCILIATIONS,
            params={"day": "2026-03-01"},
            content=statement,
            headers={**payments.finance(), "content-type": "text/csv", **headers},
        )

    indonesian = _in(await reconcile(), "id")
    english = _in(await reconcile(**ENGLISH), "en")

    assert indonesian["code"] == "invalid_settlement_statement"
    assert indonesian["title"] == "Laporan penyelesaian transaksi tidak dapat dibaca."
    assert indonesian["errors"] == [
        {"line": 2, "message": "kolom channel 'cash' bukan 'va' maupun 'qris'"},
        {
            "line": 2,
            "message": "kolom amount '1.5' bukan rupiah bulat "
            "(hanya angka: tanpa desimal, pemisah, atau tanda)",
        },
    ]
    assert indonesian["detail"].startswith(
        "Laporan penyelesaian transaksi tidak dapat digunakan: "
        "baris 2: kolom channel 'cash' bukan 'va' maupun 'qris'; baris 2: kolom amount"
    )
    assert english["errors"][0] == {
        "line": 2,
        "message": "channel 'cash' is neither 'va' nor 'qris'",
    }
    assert english["detail"].startswith(
        "The settlement statement cannot be used: line 2: channel 'cash' is neither"
    )


async def test_a_statement_that_is_not_utf8_is_refused_in_indonesian(payments: Any) -> None:
    response = await payments.client.post(
        RECONCILIATIONS,
        params={"day": "2026-03-01"},
        content="provider_transaction_id\n\xe9".encode("latin-1"),
        headers={**payments.finance(), "content-type": "text/csv"},
    )

    problem = _in(response, "id")
    assert problem["code"] == "invalid_settlement_statement"
    assert problem["detail"] == "Laporan harus berupa teks UTF-8."


async def test_pydantic_messages_of_a_malformed_notice_are_indonesian(payments: Any) -> None:
    invoice = await payments.invoice(_payer())

    problem = _in(await payments.settle({**payments.notice(invoice), "amount": "lots"}), "id")

    assert problem["code"] == "validation_failed"
    assert [(e["field"], e["message"]) for e in problem["errors"]] == [
        (
            "amount",
            "Harus berupa bilangan bulat yang valid; teks tidak dapat dibaca sebagai bilangan "
            "bulat.",
        )
    ]
