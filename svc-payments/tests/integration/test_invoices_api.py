"""The invoices API on real PostgreSQL and Kafka: a citizen sees only their own, probes."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError

from kota_shared.testing.plugin import AuthHeaders, Infrastructure, migrated_database, running_app
from kota_shared.testing.schema import schema_differences
from payments.config import PaymentsSettings
from payments.invoices.models import Invoice
from payments.main import create_app
from payments.models import Base

URL = "/v1/payments/invoices"
AYU, BUDI = "citizen-ayu", "citizen-budi"


@pytest.fixture(scope="session")
async def payments_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "payments:migrations", "payments")


@pytest.fixture(scope="session")
def payments_app(payments_database: str, service_env: dict[str, Any]) -> FastAPI:
    return create_app(PaymentsSettings(database_url=payments_database, **service_env))


@pytest.fixture(scope="session")
async def payments_client(payments_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(payments_app) as client:
        yield client


@pytest.fixture(scope="session")
async def payments_invoices(
    payments_app: FastAPI, payments_client: httpx.AsyncClient
) -> dict[str, list[Invoice]]:
    """Two invoices for Ayu and one for Budi, written through the running app's sessionmaker."""
    invoices = {
        AYU: [
            Invoice(
                payer_id=AYU,
                source_reference="permits:application:pbg-ayu-1",
                description="Retribusi PBG, rumah tinggal Jl. Mawar 5",
                amount_rupiah=2_750_000,
                due_at=datetime(2026, 12, 20, 17, 0, tzinfo=UTC),
            ),
            Invoice(
                payer_id=AYU,
                source_reference="health:appointment:ayu-1",
                description="Tarif layanan Puskesmas Cipondoh",
                amount_rupiah=15_000,
                due_at=datetime(2026, 12, 5, 17, 0, tzinfo=UTC),
            ),
        ],
        BUDI: [
            Invoice(
                payer_id=BUDI,
                source_reference="permits:application:pbg-budi-1",
                description="Retribusi PBG, ruko Jl. Daan Mogot 88",
                amount_rupiah=9_600_000,
                due_at=datetime(2026, 12, 10, 17, 0, tzinfo=UTC),
            )
        ],
    }
    async with payments_app.state.sessionmaker() as session, session.begin():
        session.add_all([i for owned in invoices.values() for i in owned])
    return invoices


async def test_a_citizen_sees_only_their_own_invoices_soonest_due_first(
    payments_client: httpx.AsyncClient,
    payments_invoices: dict[str, list[Invoice]],
    auth_headers: AuthHeaders,
) -> None:
    response = await payments_client.get(URL, headers=auth_headers(AYU, roles=["citizen"]))

    assert response.status_code == 200
    invoices = response.json()
    assert [i["source_reference"] for i in invoices] == [
        "health:appointment:ayu-1",
        "permits:application:pbg-ayu-1",
    ]
    assert [i["id"] for i in invoices] == [str(i.id) for i in reversed(payments_invoices[AYU])]
    first = invoices[0]
    assert first["amount_rupiah"] == 15_000
    assert isinstance(first["amount_rupiah"], int)  # whole rupiah, never a float
    assert first["status"] == "open"
    assert datetime.fromisoformat(first["due_at"]) == datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
    assert "payer_id" not in first


async def test_another_citizen_sees_only_theirs(
    payments_client: httpx.AsyncClient,
    payments_invoices: dict[str, list[Invoice]],
    auth_headers: AuthHeaders,
) -> None:
    response = await payments_client.get(URL, headers=auth_headers(BUDI, roles=["citizen"]))

    assert response.status_code == 200
    assert [i["id"] for i in response.json()] == [str(payments_invoices[BUDI][0].id)]


async def test_a_citizen_without_invoices_gets_an_empty_list(
    payments_client: httpx.AsyncClient,
    payments_invoices: dict[str, list[Invoice]],
    auth_headers: AuthHeaders,
) -> None:
    response = await payments_client.get(URL, headers=auth_headers("citizen-citra"))

    assert response.status_code == 200
    assert response.json() == []


async def test_without_a_token_the_answer_is_401(payments_client: httpx.AsyncClient) -> None:
    response = await payments_client.get(URL)

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthorized"


async def test_an_officer_who_is_not_a_citizen_gets_403(
    payments_client: httpx.AsyncClient,
    payments_invoices: dict[str, list[Invoice]],
    auth_headers: AuthHeaders,
) -> None:
    response = await payments_client.get(
        URL, headers=auth_headers("officer-dewi", roles=["permits_officer"])
    )

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("amount_rupiah", [0, -5_000])
async def test_the_database_refuses_an_amount_that_is_not_positive(
    payments_app: FastAPI, payments_client: httpx.AsyncClient, amount_rupiah: int
) -> None:
    with pytest.raises(IntegrityError, match="ck_invoices_amount_rupiah_positive"):
        async with payments_app.state.sessionmaker() as session, session.begin():
            session.add(
                Invoice(
                    payer_id=AYU,
                    source_reference=f"test:amount:{amount_rupiah}",
                    description="Nothing to pay",
                    amount_rupiah=amount_rupiah,
                    due_at=datetime(2026, 12, 31, tzinfo=UTC),
                )
            )


async def test_the_database_refuses_a_second_invoice_for_the_same_source(
    payments_app: FastAPI, payments_invoices: dict[str, list[Invoice]]
) -> None:
    with pytest.raises(IntegrityError, match="uq_invoices_source_reference"):
        async with payments_app.state.sessionmaker() as session, session.begin():
            session.add(
                Invoice(
                    payer_id=AYU,
                    source_reference="permits:application:pbg-ayu-1",
                    description="The same fee, billed twice",
                    amount_rupiah=2_750_000,
                    due_at=datetime(2026, 12, 20, 17, 0, tzinfo=UTC),
                )
            )


async def test_liveness(payments_client: httpx.AsyncClient) -> None:
    response = await payments_client.get("/livez")

    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


async def test_readiness_checks_database_and_kafka(payments_client: httpx.AsyncClient) -> None:
    response = await payments_client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"]["status"] == "ready"
    assert body["checks"]["kafka"]["status"] == "ready"


async def test_the_migration_creates_what_the_models_declare(payments_database: str) -> None:
    assert await schema_differences(payments_database, Base.metadata) == []
