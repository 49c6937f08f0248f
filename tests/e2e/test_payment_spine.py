"""The spine, through the gateway only, with every process running: a citizen applies for a
permit with a fee, an officer approves, the invoice appears on the citizen's home screen,
the bank (the provider simulator) is paid, its signed callback is accepted, the permit is
issued and verifies publicly, and monitoring counts it. Once paying the virtual account,
once paying by QRIS."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from e2e_suite import Suite, apply, eventually, new_citizen, new_staff

pytestmark = pytest.mark.e2e

APPLICATIONS = "/v1/permits/applications"
WIB = ZoneInfo("Asia/Jakarta")
BILLBOARD = {
    "site_address": "Jl. Jenderal Sudirman No. 1, Tangerang",
    "ad_type": "billboard",
    "width_m": "4",
    "height_m": "8",
    "faces": 2,
    "content": "Festival Kuliner Kota Tangerang",
    "start_date": "2027-01-04",
    "end_date": "2027-03-31",
}


@pytest.fixture(scope="module")
def officer(gateway: httpx.Client, suite: Suite) -> dict[str, str]:
    return new_staff(gateway, suite, "petugas.reklame", ["permits_officer"])


@pytest.fixture(scope="module")
def monitor(gateway: httpx.Client, suite: Suite) -> dict[str, str]:
    return new_staff(gateway, suite, "pemantau", ["monitoring_viewer"])


def _issued_count(gateway: httpx.Client, monitor: dict[str, str]) -> int:
    counts = gateway.get("/v1/monitoring/event-counts", headers=monitor).json()
    return next((c["count"] for c in counts if c["event_type"] == "permits.permit.issued.v1"), 0)


def _approved_awaiting_payment(
    gateway: httpx.Client, citizen: dict[str, str], officer: dict[str, str]
) -> str:
    application_id = apply(gateway, citizen, "REKLAME", BILLBOARD)
    assert (
        gateway.post(f"{APPLICATIONS}/{application_id}/claim", headers=officer).status_code == 200
    )
    approved = gateway.post(f"{APPLICATIONS}/{application_id}/approve", headers=officer)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "awaiting_payment"
    assert approved.json()["fee_amount"] > 0
    return application_id


def _invoice_on_home_screen(
    gateway: httpx.Client, citizen: dict[str, str], application_id: str
) -> dict[str, Any]:
    def unpaid() -> list[dict[str, Any]]:
        overview = gateway.get("/v1/me/overview", headers=citizen)
        assert overview.status_code == 200, overview.text
        items: list[dict[str, Any]] = overview.json()["sections"]["unpaid_invoices"]["items"]
        return [
            i for i in items if i["source_reference"] == f"permits:application:{application_id}"
        ]

    (invoice,) = eventually(unpaid, until=bool, what="the invoice on the home screen")
    return invoice


def _issued_and_verified(
    gateway: httpx.Client, citizen: dict[str, str], application_id: str
) -> None:
    eventually(
        lambda: gateway.get(f"{APPLICATIONS}/{application_id}", headers=citizen).json()["status"],
        until=lambda status: status == "issued",
        what="the permit issued after payment",
    )
    permit = gateway.get(f"{APPLICATIONS}/{application_id}/permit", headers=citizen).json()
    assert permit["number"].startswith("REKLAME/3671/")
    verified = httpx.get(permit["verification_url"])  # anyone, no token
    assert verified.json()["validity"] == "valid"


def _callback_acknowledged(suite: Suite, provider_transaction_id: str) -> None:
    transaction = eventually(
        lambda: httpx.get(
            f"{suite.paysim}/simulator/transactions/{provider_transaction_id}"
        ).json(),
        until=lambda t: t["acknowledged"],
        what="payments to acknowledge the provider's callback",
    )
    assert transaction["attempts"][-1]["status_code"] == 200


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
    application_id = _approved_awaiting_payment(gateway, citizen, officer)
    invoice = _invoice_on_home_screen(gateway, citizen, application_id)

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
    _callback_acknowledged(suite, paid.json()["provider_transaction_id"])
    _issued_and_verified(gateway, citizen, application_id)
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
    application_id = _approved_awaiting_payment(gateway, citizen, officer)
    invoice = _invoice_on_home_screen(gateway, citizen, application_id)
    paid = httpx.post(
        f"{suite.paysim}/simulator/va/{invoice['va_number']}/payments",
        json={"amount": invoice["amount_rupiah"]},
    ).json()
    _callback_acknowledged(suite, paid["provider_transaction_id"])

    again = httpx.post(
        f"{suite.paysim}/simulator/transactions/{paid['provider_transaction_id']}/redeliver",
        json={"times": 5, "concurrently": True},
    )

    assert again.json()["status_codes"] == [200] * 5
    _issued_and_verified(gateway, citizen, application_id)
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
    unreported = _invoice_on_home_screen(
        gateway,
        unreported_citizen,
        _approved_awaiting_payment(gateway, unreported_citizen, officer),
    )
    recorded = _invoice_on_home_screen(
        gateway, recorded_citizen, _approved_awaiting_payment(gateway, recorded_citizen, officer)
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
