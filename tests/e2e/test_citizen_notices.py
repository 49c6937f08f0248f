"""What the city tells a citizen, through the gateway only, with every process running: the
spine's notices in the inbox and as SMS through the simulated provider, each once and in
Bahasa Indonesia even when the events come three times; and an SMS that waits while its
provider is down and goes, once, when it is back."""

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from e2e_suite import (
    BILLBOARD,
    Suite,
    apply,
    approved_awaiting_payment,
    committed_offsets,
    eventually,
    invoice_on_home_screen,
    issued_and_verified,
    new_citizen,
    new_staff,
    pay_by_va,
    redeliver,
)

from kota_contracts import payments as payments_contract
from kota_contracts import permits as permits_contract

pytestmark = pytest.mark.e2e

NOTICES = "/v1/information/notices"
NOTICES_GROUP = "information.notices"
"""Information's consumer group (the default of ``INFORMATION_CONSUMER_GROUP``)."""
SPINE_KINDS = [
    "permit.submitted",
    "permit.approved",
    "invoice.opened",
    "invoice.paid",
    "permit.issued",
]


@pytest.fixture(scope="module")
def officer(gateway: httpx.Client, suite: Suite) -> dict[str, str]:
    return new_staff(gateway, suite, "petugas.informasi", ["permits_officer"])


def _reached_by_sms_only(gateway: httpx.Client, citizen: dict[str, str]) -> str:
    """The citizen asks for SMS, in Indonesian, at any hour (the test may run at night);
    returns their phone number, where the simulator's log shows what they received."""
    chosen = gateway.put(
        "/v1/information/preferences",
        json={"channels": ["sms"], "language": "id", "quiet_from": None, "quiet_until": None},
        headers=citizen,
    )
    assert chosen.status_code == 200, chosen.text
    phone: str = gateway.get("/v1/me", headers=citizen).json()["phone"]
    return phone


def _notices_about(
    gateway: httpx.Client, citizen: dict[str, str], *subjects: str
) -> list[dict[str, Any]]:
    listed = gateway.get(NOTICES, headers=citizen)
    assert listed.status_code == 200, listed.text
    return [notice for notice in listed.json() if notice["subject_ref"] in subjects]


def _messages_of(
    gateway: httpx.Client, citizen: dict[str, str], notice: dict[str, Any]
) -> list[dict[str, Any]]:
    messages = gateway.get(f"{NOTICES}/{notice['id']}/messages", headers=citizen)
    assert messages.status_code == 200, messages.text
    found: list[dict[str, Any]] = messages.json()
    return found


def _sms_to(suite: Suite, phone: str) -> list[dict[str, Any]]:
    """Every SMS the simulated provider took for ``phone``, newest first."""
    log = httpx.get(
        f"{suite.notifysim}/messages", params={"to": phone, "channel": "sms", "limit": 1000}
    )
    assert log.status_code == 200, log.text
    found: list[dict[str, Any]] = log.json()
    return found


def _rupiah(amount: int) -> str:
    """As an Indonesian reads an amount: ``Rp1.280.000``."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def test_the_spine_tells_the_citizen_each_step_once_in_indonesian_even_when_events_come_thrice(
    gateway: httpx.Client, suite: Suite, officer: dict[str, str]
) -> None:
    citizen = new_citizen(gateway)
    phone = _reached_by_sms_only(gateway, citizen)
    application_id = approved_awaiting_payment(gateway, citizen, officer)
    invoice = invoice_on_home_screen(gateway, citizen, application_id)
    pay_by_va(suite, invoice)
    permit = issued_and_verified(gateway, citizen, application_id)
    number = gateway.get(f"/v1/payments/invoices/{invoice['id']}", headers=citizen).json()["number"]
    amount = _rupiah(invoice["amount_rupiah"])
    subjects = (f"application:{application_id}", f"invoice:{invoice['id']}")

    def by_kind() -> dict[str, dict[str, Any]]:
        notices = _notices_about(gateway, citizen, *subjects)
        assert Counter(n["kind"] for n in notices) == Counter(SPINE_KINDS), notices
        return {notice["kind"]: notice for notice in notices}

    notices = eventually(
        lambda: _notices_about(gateway, citizen, *subjects),
        until=lambda found: len(found) >= len(SPINE_KINDS),
        what="a notice of each step in the inbox",
    )
    first_pass = by_kind()
    assert {kind: n["title"] for kind, n in first_pass.items()} == {
        "permit.submitted": "Permohonan REKLAME diterima",
        "permit.approved": "Permohonan REKLAME disetujui",
        "invoice.opened": f"Tagihan {number}: {amount}",
        "invoice.paid": f"Pembayaran {number} diterima",
        "permit.issued": f"Izin REKLAME terbit: {permit['number']}",
    }
    assert {n["language"] for n in notices} == {"id"}
    assert invoice["va_number"] in first_pass["invoice.opened"]["body"]
    (link,) = re.findall(r"https?://\S+", first_pass["permit.issued"]["body"])
    assert link == permit["verification_url"]
    assert httpx.get(link).json()["validity"] == "valid"  # anyone, no token

    expected_sms = {
        "permit.submitted": "Kota LIVE: Permohonan izin REKLAME Anda diterima ",
        "permit.approved": f"Kota LIVE: Permohonan izin REKLAME Anda disetujui. Retribusi {amount}",
        "invoice.opened": f"Kota LIVE: Tagihan {number} {amount}. Bayar sebelum ",
        "invoice.paid": f"Kota LIVE: Pembayaran tagihan {number} {amount} diterima ",
        "permit.issued": f"Kota LIVE: Izin REKLAME Anda terbit, nomor {permit['number']}. "
        f"Cek keaslian: {permit['verification_url']}",
    }

    def each_sent_once() -> None:
        """One SMS message per notice, delivered, and the phone holds exactly those."""
        sent_for: dict[str, str] = {}
        for kind, notice in first_pass.items():
            (message,) = _messages_of(gateway, citizen, notice)
            assert (message["channel"], message["status"]) == ("sms", "delivered"), message
            sent_for[message["id"]] = kind
        received = _sms_to(suite, phone)
        assert Counter(sms["reference"] for sms in received) == Counter(sent_for.keys())
        for sms in received:
            assert sms["text"].startswith(expected_sms[sent_for[sms["reference"]]]), sms

    eventually(
        lambda: [
            m["status"] for n in first_pass.values() for m in _messages_of(gateway, citizen, n)
        ],
        until=lambda statuses: statuses == ["delivered"] * len(SPINE_KINDS),
        within=60,
        what="an SMS of each notice delivered",
    )
    each_sent_once()

    # The same events twice more, as a producer's retry or a replay would bring them.
    again = [
        redeliver(
            suite,
            topic=permits_contract.TOPIC,
            key=application_id,
            times=2,
            reader="information",
            writer="permits",
        ),
        redeliver(
            suite,
            topic=payments_contract.TOPIC,
            key=invoice["id"],
            times=2,
            reader="information",
            writer="payments",
        ),
    ]
    assert {
        "permits.application.submitted.v2",
        "permits.application.approved.v1",
        "permits.permit.issued.v2",
        "payments.invoice.created.v1",
        "payments.invoice.paid.v1",
    } <= {event_type for redelivery in again for event_type in redelivery.event_types}
    written = {tp: end for redelivery in again for tp, end in redelivery.written_through.items()}
    eventually(
        lambda: committed_offsets(suite, group=NOTICES_GROUP, principal="information"),
        until=lambda committed: all(committed.get(tp, -1) >= end for tp, end in written.items()),
        within=60,
        what="information's consumer to take every event a second and a third time",
    )

    assert by_kind() == first_pass
    each_sent_once()


@contextmanager
def _sms_provider_down(suite: Suite) -> Iterator[None]:
    """The simulated SMS gateway answers every send 503 until the block ends."""
    down = httpx.put(f"{suite.notifysim}/control/availability", json={"sms": "down"})
    assert down.status_code == 200, down.text
    try:
        yield
    finally:
        up = httpx.put(f"{suite.notifysim}/control/availability", json={"sms": "up"})
        assert up.status_code == 200, up.text


def test_an_sms_waits_while_its_provider_is_down_and_goes_once_when_it_is_back(
    gateway: httpx.Client, suite: Suite
) -> None:
    citizen = new_citizen(gateway)
    phone = _reached_by_sms_only(gateway, citizen)

    with _sms_provider_down(suite):
        application_id = apply(gateway, citizen, "REKLAME", BILLBOARD)
        (notice,) = eventually(
            lambda: _notices_about(gateway, citizen, f"application:{application_id}"),
            until=bool,
            what="the submission's notice in the inbox",
        )
        (waiting,) = eventually(
            lambda: _messages_of(gateway, citizen, notice),
            until=lambda messages: (
                bool(messages)
                and messages[0]["status"] == "technical_failure"
                and messages[0]["attempts"] >= 2
            ),
            what="the SMS tried again while its provider is down",
        )
        assert waiting["channel"] == "sms"
        assert waiting["due_at"] is not None  # to be tried again, not given up
        assert _sms_to(suite, phone) == []

    (delivered,) = eventually(
        lambda: _messages_of(gateway, citizen, notice),
        until=lambda messages: [m["status"] for m in messages] == ["delivered"],
        within=60,
        what="the SMS delivered once its provider is back",
    )
    (received,) = _sms_to(suite, phone)
    assert received["reference"] == delivered["id"]
    assert received["text"].startswith("Kota LIVE: Permohonan izin REKLAME Anda diterima ")
    assert delivered["id"] == waiting["id"]
