"""The request body limit (413) and CORS, at the gateway's edge."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.requests import ClientDisconnect

from kota_dev.pytest_plugin import AuthHeaders, Infrastructure, migrated_database, running_app
from kota_gateway.config import GatewaySettings
from kota_gateway.main import create_app as create_gateway
from kota_shared.testing.servers import serve_app
from kota_shared.testing.waiting import eventually

LIMIT = 1000
APP_ORIGIN = "https://app.kota.test"


def recording_app(seen: list[str]) -> FastAPI:
    """An upstream that notes whether each body arrived whole."""
    app = FastAPI()

    @app.post("/v1/upload/{path:path}")
    async def upload(path: str, request: Request) -> JSONResponse:
        try:
            body = await request.body()
        except ClientDisconnect:
            seen.append("disconnected")
            raise
        seen.append(f"complete:{len(body)}")
        return JSONResponse({"length": len(body)})

    return app


@pytest.fixture(scope="module")
async def gateway_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "kota_gateway:migrations", "gateway")


@pytest.fixture
async def seen() -> list[str]:
    return []


@pytest.fixture
async def settings(
    gateway_database: str,
    seen: list[str],
    service_env: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[GatewaySettings]:
    async with serve_app(recording_app(seen)) as upstream:
        yield GatewaySettings(
            **{
                **service_env,
                "database_url": gateway_database,
                "signing_key_dir": tmp_path_factory.mktemp("keys"),
                "upstreams": {"upload": upstream},
                "max_body_bytes": LIMIT,
                "cors_origins": [APP_ORIGIN],
                "rate_limits": {"read": "3/day"},
            }
        )


@pytest.fixture
async def gateway(settings: GatewaySettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_gateway(settings)) as client:
        yield client


async def chunks(size: int, count: int) -> AsyncIterator[bytes]:
    for _ in range(count):
        yield b"x" * size


async def test_a_declared_length_over_the_limit_is_refused_unread(
    gateway: httpx.AsyncClient, seen: list[str]
) -> None:
    response = await gateway.post("/v1/upload/file", content=b"x" * (LIMIT + 1))

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "payload_too_large"
    assert response.json()["max_bytes"] == LIMIT
    assert response.json()["detail"] == "Isi permintaan paling besar 1.000 byte."
    assert response.headers["content-language"] == "id"
    assert response.headers["connection"] == "close"
    assert seen == []  # never sent upstream


async def test_a_streamed_body_is_cut_off_when_it_grows_too_large(
    gateway: httpx.AsyncClient, seen: list[str]
) -> None:
    response = await gateway.post("/v1/upload/file", content=chunks(400, 5))

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"

    async def upstream_gave_up() -> list[str]:
        return seen

    # The upstream had started receiving it and saw its client go away: nothing was acted on.
    await eventually(upstream_gave_up, until=lambda s: s == ["disconnected"], within=10)


async def test_bodies_cut_off_are_not_held_against_the_upstream(
    gateway: httpx.AsyncClient, seen: list[str]
) -> None:
    for _ in range(GatewaySettings().circuit_failure_threshold + 1):
        refused = await gateway.post("/v1/upload/file", content=chunks(400, 5))
        assert refused.status_code == 413

    # The caller's oversized bodies were the caller's fault: the circuit is still closed.
    accepted = await gateway.post("/v1/upload/file", content=b"x" * 10)

    assert accepted.status_code == 200
    assert accepted.json() == {"length": 10}


async def test_bodies_up_to_the_limit_pass(gateway: httpx.AsyncClient, seen: list[str]) -> None:
    declared = await gateway.post("/v1/upload/file", content=b"x" * LIMIT)
    streamed = await gateway.post("/v1/upload/file", content=chunks(LIMIT // 4, 4))

    assert declared.json() == {"length": LIMIT}
    assert streamed.json() == {"length": LIMIT}
    assert seen == [f"complete:{LIMIT}", f"complete:{LIMIT}"]


async def test_the_gateways_own_endpoints_answer_413_too(
    gateway: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    admin = auth_headers("admin-1", roles=["city_admin"])

    streamed = await gateway.post(
        "/v1/auth/clients",
        content=chunks(400, 5),
        headers={**admin, "Content-Type": "application/json"},
    )

    assert streamed.status_code == 413  # not the 400 FastAPI makes of an interrupted body
    assert streamed.json()["code"] == "payload_too_large"


async def test_413_over_a_real_connection(settings: GatewaySettings) -> None:
    async with serve_app(create_gateway(settings)) as url, httpx.AsyncClient() as client:
        response = await client.post(f"{url}/v1/upload/file", content=b"x" * (LIMIT * 2))
        after = await client.post(f"{url}/v1/upload/file", content=b"x" * 10)

    assert response.status_code == 413
    assert after.status_code == 200  # a new connection serves the next request


async def test_cors_preflight_is_answered_for_allowed_origins_only(
    gateway: httpx.AsyncClient,
) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}

    allowed = await gateway.options(
        "/v1/upload/file",
        headers={
            **preflight,
            "Origin": APP_ORIGIN,
            "Access-Control-Request-Headers": "authorization, idempotency-key",
        },
    )
    refused = await gateway.options(
        "/v1/upload/file", headers={**preflight, "Origin": "https://evil.test"}
    )

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "POST" in allowed.headers["access-control-allow-methods"]
    assert "idempotency-key" in allowed.headers["access-control-allow-headers"].lower()
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


async def test_cors_headers_ride_on_every_answer_even_a_429(gateway: httpx.AsyncClient) -> None:
    origin = {"Origin": APP_ORIGIN}
    preflights = [
        await gateway.options(
            "/v1/upload/x", headers={**origin, "Access-Control-Request-Method": "GET"}
        )
        for _ in range(5)
    ]
    answers = [await gateway.get("/v1/upload/x", headers=origin) for _ in range(4)]

    assert {p.status_code for p in preflights} == {200}  # preflights spend no budget
    assert [a.status_code for a in answers] == [405, 405, 405, 429]
    refused = answers[-1]
    assert refused.headers["access-control-allow-origin"] == APP_ORIGIN
    exposed = refused.headers["access-control-expose-headers"].lower()
    assert "retry-after" in exposed
    assert "ratelimit-remaining" in exposed
    assert "x-request-id" in exposed


async def test_without_origins_configured_there_is_no_cors(settings: GatewaySettings) -> None:
    bare = settings.model_copy(update={"cors_origins": []})
    async with running_app(create_gateway(bare)) as client:
        response = await client.get("/livez", headers={"Origin": APP_ORIGIN})

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
