"""Fixtures for the payments service on real PostgreSQL and Kafka, and a driver playing the
citizen, the finance officer, an agency and the payment provider (who signs callbacks)."""

import base64
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from standardwebhooks.webhooks import Webhook

from kota_contracts.payments import TOPIC
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, migrated_database, running_app
from kota_shared.testing.clock import MovableClock
from kota_shared.testing.kafka import read_events
from payments.config import PaymentsSettings
from payments.main import create_app

CURRENT_SECRET = "whsec_" + base64.b64encode(b"current-provider-secret-0123456").decode()
PREVIOUS_SECRET = "whsec_" + base64.b64encode(b"previous-provider-secret-012345").decode()
INVOICES = "/v1/payments/invoices"
VA_FEE = 4_000
"""What the simulated bank keeps per virtual-account payment in these tests."""


@pytest.fixture(scope="session")
async def payments_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "payments:migrations", "payments")


@pytest.fixture(scope="session")
def payments_clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="session")
def payments_app(
    payments_database: str, service_env: dict[str, Any], payments_clock: MovableClock
) -> FastAPI:
    settings = PaymentsSettings(
        database_url=payments_database,
        callback_secrets=[CURRENT_SECRET, PREVIOUS_SECRET],  # type: ignore[list-item]
        expiry_sweep_seconds=3600,  # tests sweep explicitly, at the time they choose
        va_fee_rupiah=VA_FEE,
        **service_env,
    )
    return create_app(settings, clock=payments_clock)


@pytest.fixture(scope="session")
async def payments_client(payments_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(payments_app) as client:
        yield client


@dataclass
class Payments:
    """Every party to a payment, acting on the payments API."""

    client: httpx.AsyncClient
    auth_headers: AuthHeaders
    kafka_bootstrap_servers: str
    clock: MovableClock
    current_secret: str = CURRENT_SECRET
    previous_secret: str = PREVIOUS_SECRET

    def citizen(self, subject: str | None = None) -> dict[str, str]:
        return self.auth_headers(subject or f"citizen-{uuid.uuid4().hex[:8]}", roles=["citizen"])

    def finance(self) -> dict[str, str]:
        return self.auth_headers("finance-1", roles=["finance_officer"])

    def agency(self, client_id: str = "client-bapenda") -> dict[str, str]:
        return self.auth_headers(client_id, roles=[], scopes=["payments:invoices:write"])

    async def bill(
        self,
        payer_id: str,
        *,
        amount: int = 150_000,
        reference: str | None = None,
        due_in: timedelta = timedelta(days=7),
        key: str | None = None,
    ) -> httpx.Response:
        """An agency bills ``payer_id`` (a new Idempotency-Key unless one is given)."""
        return await self.client.post(
            INVOICES,
            json={
                "payer_id": payer_id,
                "reference": reference or f"PBB-{uuid.uuid4().hex[:12]}",
                "description": "Pajak Bumi dan Bangunan 2026",
                "lines": [{"description": "PBB 2026", "amount_rupiah": amount}],
                # Whole minutes, so a retry of the same bill sends the very same body.
                "due_at": (datetime.now(UTC) + due_in).replace(second=0, microsecond=0).isoformat(),
            },
            headers={**self.agency(), "Idempotency-Key": key or uuid.uuid4().hex},
        )

    async def invoice(self, payer_id: str, **kwargs: Any) -> dict[str, Any]:
        response = await self.bill(payer_id, **kwargs)
        assert response.status_code == 201, response.text
        invoice: dict[str, Any] = response.json()
        return invoice

    @staticmethod
    def notice(
        invoice: dict[str, Any], *, channel: str = "va", amount: int | None = None
    ) -> dict[str, Any]:
        return {
            "type": "payment.settled",
            "provider_transaction_id": f"SIM-{uuid.uuid4().hex[:16]}",
            "channel": channel,
            "reference": invoice["va_number"] if channel == "va" else invoice["number"],
            "amount": invoice["amount_rupiah"] if amount is None else amount,
            "currency": "IDR",
            "paid_at": datetime.now(UTC).isoformat(),
        }

    async def settle(
        self,
        notice: dict[str, Any],
        *,
        secret: str = CURRENT_SECRET,
        sent_at: datetime | None = None,
        message_id: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Deliver ``notice`` as the provider does: raw JSON, Standard Webhooks signature
        (and ``headers`` besides, which the signature does not cover)."""
        body = json.dumps(notice)
        sent_at = sent_at or datetime.now(UTC)
        message_id = message_id or f"msg_{notice['provider_transaction_id']}"
        signed = {
            "webhook-id": message_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, sent_at, body),
            "content-type": "application/json",
        }
        return await self.client.post(
            "/v1/payments/callbacks/settlements",
            content=body,
            headers={**signed, **(headers or {})},
        )

    async def read(self, invoice_id: str) -> dict[str, Any]:
        response = await self.client.get(f"{INVOICES}/{invoice_id}", headers=self.finance())
        assert response.status_code == 200, response.text
        invoice: dict[str, Any] = response.json()
        return invoice

    async def events(self, invoice_id: str, *types: str) -> list[Any]:
        """The invoice's events, CloudEvents-parsed and held to their published schemas,
        once every one of ``types`` has arrived."""
        return await read_events(
            self.kafka_bootstrap_servers, TOPIC, key=invoice_id, until_types=types
        )


@pytest.fixture
def payments(
    payments_client: httpx.AsyncClient,
    auth_headers: AuthHeaders,
    infrastructure: Infrastructure,
    payments_clock: MovableClock,
) -> Iterator[Payments]:
    yield Payments(
        payments_client, auth_headers, infrastructure.kafka_bootstrap_servers, payments_clock
    )
    payments_clock.fixed = None


@pytest.fixture(autouse=True)
async def ledger_balances_after_each_test(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """After every test that used the payments app, the double-entry ledger balances."""
    yield
    if "payments_client" not in request.fixturenames:
        return
    client: httpx.AsyncClient = request.getfixturevalue("payments_client")
    auth_headers: AuthHeaders = request.getfixturevalue("auth_headers")
    check = await client.get(
        "/v1/payments/ledger/check", headers=auth_headers("finance-1", roles=["finance_officer"])
    )
    assert check.status_code == 200, check.text
    assert check.json()["balanced"], check.json()
