"""The gateway in front of real upstreams over HTTP: routing, headers, failures, readiness."""

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from openapi_spec_validator import validate

from kota_dev.ports import free_port
from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, migrated_database, running_app
from kota_gateway.composition.settings import OverviewSection
from kota_gateway.config import GatewaySettings
from kota_gateway.db import Base
from kota_gateway.identity.accounts import models as account_models
from kota_gateway.identity.clients import models as client_models
from kota_gateway.identity.keys import SigningKeys
from kota_gateway.main import create_app as create_gateway
from kota_shared.seeding import run_seed
from kota_shared.testing.schema import schema_differences
from kota_shared.testing.servers import serve_app
from permits.config import PermitsSettings
from permits.main import create_app as create_permits
from permits.seed import seed_catalogue


def echo_app() -> FastAPI:
    """An upstream that answers with what reached it."""
    app = FastAPI()

    @app.api_route("/v1/echo/{path:path}", methods=["GET", "HEAD", "POST"])
    async def echo(path: str, request: Request) -> JSONResponse:
        body = await request.body()
        response = JSONResponse(
            {
                "path": request.scope["raw_path"].decode(),
                "query": request.url.query,
                "headers": dict(request.headers),
                "body_sha256": hashlib.sha256(body).hexdigest(),
                "body_length": len(body),
            },
            headers={
                "Connection": "close, x-secret-hop",
                "X-Secret-Hop": "1",
                "X-Upstream": "echo",
            },
        )
        response.headers.append("Set-Cookie", "a=1; Path=/")
        response.headers.append("Set-Cookie", "b=2; Path=/")
        return response

    return app


@pytest.fixture(scope="module")
async def gateway_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "kota_gateway:migrations", "gateway")


@pytest.fixture(scope="module")
async def upstreams(
    infrastructure: Infrastructure,
    service_env: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[dict[str, str]]:
    permits_db = await migrated_database(infrastructure, "permits:migrations", "permits")
    await asyncio.to_thread(run_seed, permits_db, seed_catalogue)  # PBG and the other types
    permits = create_permits(
        PermitsSettings(
            database_url=permits_db,
            verification_secrets=["gateway-test-secret"],  # type: ignore[list-item]
            documents_location=str(tmp_path_factory.mktemp("documents")),
            **service_env,
        )
    )
    async with serve_app(echo_app()) as echo_url, serve_app(permits) as permits_url:
        yield {"echo": echo_url, "permits": permits_url}


@pytest.fixture(scope="module")
def gateway_app(
    gateway_database: str,
    upstreams: dict[str, str],
    service_env: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> FastAPI:
    settings = GatewaySettings(
        database_url=gateway_database,
        upstreams={**upstreams, "ghost": f"http://127.0.0.1:{free_port()}"},
        overview_sections={
            "applications": OverviewSection(service="permits", path="/v1/permits/applications"),
            "unpaid_invoices": OverviewSection(service="ghost", path="/v1/payments/invoices"),
        },
        signing_key_dir=tmp_path_factory.mktemp("keys"),
        **service_env,
    )
    return create_gateway(settings)


@pytest.fixture(scope="module")
async def gateway(gateway_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(gateway_app) as client:
        yield client


async def test_a_request_reaches_its_service_which_verifies_the_token(
    gateway: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    created = await gateway.post(
        "/v1/permits/applications",
        json={"permit_type": "PBG"},
        headers=auth_headers("citizen-77", roles=["citizen"]),
    )
    forged = await gateway.post(
        "/v1/permits/applications",
        json={"permit_type": "PBG"},
        headers={"Authorization": "Bearer not-a-token"},
    )

    assert created.status_code == 201, created.text
    assert created.json()["status"] == "draft"
    assert forged.status_code == 401
    assert forged.headers["content-type"] == "application/problem+json"


async def test_path_query_and_headers_are_forwarded_properly(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get(
        "/v1/echo/a%2Fb/c?x=1&y=%20z",
        headers={
            "X-Request-ID": "req-42",
            "Connection": "keep-alive, x-drop-me",
            "X-Drop-Me": "hop",
            "Keep-Alive": "timeout=5",
            "X-Forwarded-For": "10.1.1.1",
            "X-App-Version": "3.2.0",
        },
    )

    assert response.status_code == 200
    seen = response.json()
    assert seen["path"] == "/v1/echo/a%2Fb/c"
    assert seen["query"] == "x=1&y=%20z"
    upstream_headers = seen["headers"]
    assert upstream_headers["x-request-id"] == "req-42"
    assert upstream_headers["x-app-version"] == "3.2.0"
    assert "x-drop-me" not in upstream_headers
    assert "keep-alive" not in upstream_headers
    assert upstream_headers["x-forwarded-for"] == "10.1.1.1, 127.0.0.1"
    assert upstream_headers["x-forwarded-proto"] == "http"
    assert upstream_headers["traceparent"].startswith("00-")
    assert response.headers["x-request-id"] == "req-42"
    assert response.headers["x-upstream"] == "echo"
    assert response.headers.get_list("set-cookie") == ["a=1; Path=/", "b=2; Path=/"]
    assert "x-secret-hop" not in response.headers


async def test_the_callers_trace_is_continued_upstream(gateway: httpx.AsyncClient) -> None:
    trace_id, caller_span = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"

    response = await gateway.get(
        "/v1/echo/traced", headers={"traceparent": f"00-{trace_id}-{caller_span}-01"}
    )

    version, upstream_trace, parent_span, flags = response.json()["headers"]["traceparent"].split(
        "-"
    )
    assert (version, upstream_trace, flags) == ("00", trace_id, "01")
    assert parent_span != caller_span  # the gateway's own span sits between the two


async def test_a_request_id_is_created_when_the_client_sends_none(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get("/v1/echo/anything")

    assert response.json()["headers"]["x-request-id"] == response.headers["x-request-id"]


async def test_large_bodies_stream_through_intact(gateway: httpx.AsyncClient) -> None:
    body = bytes(range(256)) * 20_000  # 5 MB

    response = await gateway.post("/v1/echo/upload", content=body)

    assert response.json()["body_length"] == len(body)
    assert response.json()["body_sha256"] == hashlib.sha256(body).hexdigest()


async def test_head_answers_carry_the_length_a_get_would_have(
    gateway: httpx.AsyncClient,
) -> None:
    got = await gateway.get("/v1/echo/anything", headers={"X-Request-ID": "same"})
    head = await gateway.head("/v1/echo/anything", headers={"X-Request-ID": "same"})

    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]


async def test_unknown_service_is_a_404_problem(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/nowhere/things")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


async def test_a_dead_upstream_is_a_503_with_retry_after(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/ghost/anything")

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["code"] == "service_unavailable"
    assert response.json()["upstream"] == "ghost"  # the service's name is for programs
    # A service without words of its own is "the service", never its code.
    assert response.json()["detail"] == "Layanan ini sedang tidak merespons."
    assert response.headers["content-language"] == "id"


async def test_a_dead_upstream_is_explained_in_english_when_asked(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get("/v1/ghost/anything", headers={"Accept-Language": "en"})

    assert response.status_code == 503
    assert response.json()["title"] == (
        "This service is temporarily unavailable. Please try again shortly."
    )
    assert response.json()["detail"] == "The service is not answering right now."
    assert response.headers["content-language"] == "en"


async def test_readiness_reports_every_upstream(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/readyz")

    checks = response.json()["checks"]
    assert response.status_code == 503  # the ghost is down, so the gateway is not fully ready
    assert checks["upstream:permits"]["status"] == "ready"
    assert checks["upstream:ghost"]["status"] == "unavailable"
    assert checks["database"]["status"] == "ready"
    assert checks["kafka"]["status"] == "ready"


async def test_jwks_publishes_the_signing_key(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/.well-known/jwks.json")

    (key,) = response.json()["keys"]
    assert key["kty"] == "OKP"
    assert key["alg"] == "EdDSA"
    assert key["kid"]
    assert "d" not in key  # never the private part


async def test_the_migration_creates_what_the_models_declare(gateway_database: str) -> None:
    # Every model module is imported above (as migrations/env.py imports them), so the
    # metadata compared is the whole database's.
    modelled = {account_models.Account.__tablename__, client_models.AgencyClient.__tablename__}
    assert modelled <= set(Base.metadata.tables)
    assert await schema_differences(gateway_database, Base.metadata) == []


def test_keys_survive_a_restart(tmp_path: Path) -> None:
    first = SigningKeys.load_or_create(tmp_path)
    again = SigningKeys.load_or_create(tmp_path)

    assert first.current.kid == again.current.kid
    assert first.jwks() == again.jwks()
    assert (tmp_path / f"{first.current.kid}.pem").stat().st_mode & 0o777 == 0o600


async def test_one_openapi_document_covers_every_service(gateway: httpx.AsyncClient) -> None:
    document = (await gateway.get("/openapi.json")).json()

    validate(document)  # a real OpenAPI 3.1 validator, $refs resolved
    assert document["openapi"].startswith("3.1")
    create = document["paths"]["/v1/permits/applications"]["post"]
    assert create["tags"] == ["permits"]
    assert "/.well-known/jwks.json" in document["paths"]
    assert "PermitsApplicationRead" in document["components"]["schemas"]
    assert {
        "name": "permits",
        "description": (
            "Permit types, applications and their review, issuance, and public "
            "verification of issued permits."
        ),
    } in document["tags"]


async def test_the_overview_survives_a_service_that_is_down(
    gateway: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    citizen = auth_headers("citizen-overview", roles=["citizen"])
    created = await gateway.post(
        "/v1/permits/applications", json={"permit_type": "PBG"}, headers=citizen
    )

    response = await gateway.get("/v1/me/overview", headers=citizen)

    assert response.status_code == 200
    sections = response.json()["sections"]
    assert sections["applications"]["available"] is True
    assert [a["id"] for a in sections["applications"]["items"]] == [created.json()["id"]]
    assert sections["unpaid_invoices"]["available"] is False
    assert sections["unpaid_invoices"]["items"] == []


async def test_the_overview_skips_a_service_whose_circuit_is_open(
    gateway: httpx.AsyncClient, gateway_app: FastAPI, auth_headers: AuthHeaders
) -> None:
    citizen = auth_headers("citizen-overview-2", roles=["citizen"])
    breaker = gateway_app.state.upstreams.get("ghost").breaker
    for _ in range(20):  # the ghost refuses connections: each overview counts a failure
        if breaker.snapshot().state == "open":
            break
        await gateway.get("/v1/me/overview", headers=citizen)
    assert breaker.snapshot().state == "open"

    response = await gateway.get("/v1/me/overview", headers=citizen)

    unpaid = response.json()["sections"]["unpaid_invoices"]
    assert (unpaid["available"], unpaid["reason"]) == (False, "Layanan ini sedang tidak tersedia.")
    assert response.json()["sections"]["applications"]["available"] is True
    assert response.headers["content-language"] == "id"
    in_english = await gateway.get("/v1/me/overview", headers={**citizen, "Accept-Language": "en"})
    assert in_english.json()["sections"]["unpaid_invoices"]["reason"] == (
        "The service is unavailable right now."
    )
    assert in_english.headers["content-language"] == "en"


async def test_the_overview_is_for_signed_in_citizens_only(
    gateway: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    officer = auth_headers("officer-1", roles=["permits_officer"])

    assert (await gateway.get("/v1/me/overview")).status_code == 401
    assert (await gateway.get("/v1/me/overview", headers=officer)).status_code == 403


def test_a_rotated_key_signs_and_the_old_one_stays_published(tmp_path: Path) -> None:
    before = SigningKeys.load_or_create(tmp_path)
    new_kid = SigningKeys.rotate(tmp_path)
    after = SigningKeys.load_or_create(tmp_path)

    assert after.current.kid == new_kid != before.current.kid
    assert [key["kid"] for key in after.jwks()["keys"]] == [before.current.kid, new_kid]


async def test_openid_discovery_points_at_the_keys_and_the_token_endpoint(
    gateway: httpx.AsyncClient, service_env: dict[str, Any]
) -> None:
    document = (await gateway.get("/.well-known/openid-configuration")).json()

    assert document["issuer"] == service_env["token_issuer"].rstrip("/")
    assert document["jwks_uri"].endswith("/.well-known/jwks.json")
    assert document["token_endpoint"].endswith("/v1/auth/token")
