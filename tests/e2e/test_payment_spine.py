"""The spine, through the gateway only, with every process running: a citizen applies for a
permit with a fee, an officer approves, the invoice appears on the citizen's home screen,
the bank (the provider simulator) is paid, its signed callback is accepted, the permit is
issued and verifies publicly, and monitoring counts it. Once paying the virtual account,
once paying by QRIS."""

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from e2e_suite import (
    APPLICATIONS,
    Suite,
    approved_awaiting_payment,
    callback_acknowledged,
    eventually,
    invoice_on_home_screen,
    issued_and_verified,
    new_citizen,
    new_staff,
    pay_by_va,
)

pytestmark = pytest.mark.e2e

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(scope="module")
def officer(gateway: httpx.Client, suite: Suite) -> dict[str, str]:
    return new_staff(gateway, suite, "petugas.reklame", ["permits_officer"])


@pytest.fixture(scope="module")
def monitor(gateway: httpx.Client, suite: Suite) -> dict[str, str]:
    return new_staff(gateway, suite, "pemantau", ["monitoring_viewer"])


def _issued_count(gateway: httpx.Client, monitor: dict[str, str]) -> int:
    counts = gateway.get("/v1/monitoring/event-counts", headers=monitor).json()
    return next((c["count"] for c in counts if c["event_type"] == "permits.permit.issued.v1"), 0)


@pytest.mark.parametrize("channel", ["va", "qris"])
def test_apply_approve_pay_issue_verify_and_count(
    gateway: httpx.Client,
    suite: Suite,
    officer: dict[str, str],
    monitor: dict[str, str],
    channel: str,
) -> None:
    issued_before = _issued_count(gateway, monitor)
    citizen = new_citizen(gateway)
    application_id = approved_awaiting_payment(gateway, citizen, officer)
    invoice = invoice_on_home_screen(gateway, citizen, application_id)

    if channel == "va":
        paid = httpx.post(
            f"{suite.paysim}/simulator/va/{invoice['va_number']}/payments",
            json={"amount": invoice["amount_rupiah"]},
        )
    else:
        paid = httpx.post(
            f"{suite.paysim}/simulator/qris/payments", json={"payload": invoice["qris_payload"]}
        )

    assert paid.status_code == 201, paid.text
    callback_acknowledged(suite, paid.json()["provider_transaction_id"])
    issued_and_verified(gateway, citizen, application_id)
    mine = gateway.get(f"/v1/payments/invoices/{invoice['id']}", headers=citizen).json()
    assert (mine["status"], mine["paid_rupiah"]) == ("paid", invoice["amount_rupiah"])
    eventually(
        lambda: _issued_count(gateway, monitor),
        until=lambda n: n >= issued_before + 1,
        what="monitoring to count the issued permit",
    )


def test_the_same_callback_five_times_at_once_issues_one_permit(
    gateway: httpx.Client, suite: Suite, officer: dict[str, str]
) -> None:
    citizen = new_citizen(gateway)
    application_id = approved_awaiting_payment(gateway, citizen, officer)
    invoice = invoice_on_home_screen(gateway, citizen, application_id)
    paid = pay_by_va(suite, invoice)

    again = httpx.post(
        f"{suite.paysim}/simulator/transactions/{paid['provider_transaction_id']}/redeliver",
        json={"times": 5, "concurrently": True},
    )

    assert again.json()["status_codes"] == [200] * 5
    issued_and_verified(gateway, citizen, application_id)
    history = gateway.get(f"{APPLICATIONS}/{application_id}/history", headers=citizen).json()
    assert [step["action"] for step in history].count("record_payment") == 1
    mine = gateway.get(f"/v1/payments/invoices/{invoice['id']}", headers=citizen).json()
    assert mine["paid_rupiah"] == invoice["amount_rupiah"]


def test_reconciliation_finds_what_only_one_side_knows(
    gateway: httpx.Client, suite: Suite, officer: dict[str, str]
) -> None:
    """A payment the provider settled but never reported (``notify: false``), and one payments
    recorded that the provider never settled (a callback signed with the shared secret but
    not from the simulator), both show up when the day's statement is reconciled."""
    finance = new_staff(gateway, suite, "keuangan", ["finance_officer"])
    unreported_citizen, recorded_citizen = new_citizen(gateway), new_citizen(gateway)
    unreported = invoice_on_home_screen(
        gateway,
        unreported_citizen,
        approved_awaiting_payment(gateway, unreported_citizen, officer),
    )
    recorded = invoice_on_home_screen(
        gateway, recorded_citizen, approved_awaiting_payment(gateway, recorded_citizen, officer)
    )
    settled = httpx.post(
        f"{suite.paysim}/simulator/va/{unreported['va_number']}/payments",
        json={"amount": unreported["amount_rupiah"], "notify": False},
    ).json()
    body, headers = suite.signed_settlement(recorded, provider_transaction_id="BANK-OUTSIDE-1")
    outside = gateway.post("/v1/payments/callbacks/settlements", content=body, headers=headers)
    assert outside.status_code == 200, outside.text
    # Statements are per local (Jakarta) day.
    day = datetime.fromisoformat(settled["paid_at"]).astimezone(WIB).date().isoformat()
    statement = httpx.get(f"{suite.paysim}/simulator/statements/{day}.csv").text

    report = gateway.post(
        "/v1/payments/reconciliations",
        params={"day": day},
        content=statement,
        headers={**finance, "content-type": "text/csv"},
    )

    assert report.status_code == 200, report.text
    missing_in_ledger = {p["provider_transaction_id"] for p in report.json()["missing_in_ledger"]}
    missing_in_statement = {
        p["provider_transaction_id"] for p in report.json()["missing_in_statement"]
    }
    assert settled["provider_transaction_id"] in missing_in_ledger
    assert "BANK-OUTSIDE-1" in missing_in_statement
