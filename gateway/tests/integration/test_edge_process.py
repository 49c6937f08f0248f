"""The gateway as `kota up` and the image start it (a uvicorn process, `kota_dev.processes`):
who the client is, which headers every answer carries, and where the metrics are served."""

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from kota_dev.ports import free_port
from kota_dev.processes import UVICORN_OPTIONS, start_service, stop_service, wait_until_ready
from kota_dev.pytest_plugin import Infrastructure, migrated_database
from kota_dev.suite import Service
from kota_gateway.identity.accounts import lockout
from kota_gateway.identity.accounts.models import SignInFailures
from kota_shared.testing.servers import serve_app

AUTH_LIMIT = 3


def echo_app() -> FastAPI:
    """An upstream whose answers carry their own ``Date`` (and ``Server``, from uvicorn)."""
    app = FastAPI()

    @app.get("/v1/echo/{path:path}")
    async def echo(path: str, request: Request) -> JSONResponse:
        return JSONResponse({"path": path, "forwarded_for": request.headers.get("x-forwarded-for")})

    @app.get("/readyz")
    async def ready() -> JSONResponse:
        return JSONResponse({"status": "ready"})

    return app


@pytest.fixture(scope="module")
async def gateway_database(infrastructure: Infrastructure) -> str:
    return await migrated_database(infrastructure, "kota_gateway:migrations", "gateway")


@pytest.fixture(scope="module")
async def gateway(
    gateway_database: str,
    service_env: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[dict[str, str]]:
    """One gateway process in front of the echo; its public and its metrics URL."""
    state = tmp_path_factory.mktemp("gateway-process")
    metrics_port = free_port()
    async with serve_app(echo_app()) as echo:
        env = {f"GATEWAY_{name.upper()}": str(value) for name, value in service_env.items()} | {
            "GATEWAY_DATABASE_URL": gateway_database,
            "GATEWAY_SIGNING_KEY_DIR": str(state / "keys"),
            "GATEWAY_UPSTREAMS": json.dumps({"echo": echo}),
            "GATEWAY_RATE_LIMITS": json.dumps({"auth": f"{AUTH_LIMIT}/hour"}),
            "GATEWAY_METRICS_PORT": str(metrics_port),
        }
        running = start_service(
            Service("gateway-edge", 0, package="kota_gateway"),
            port=free_port(),
            env=env,
            log_dir=state,
        )
        try:
            await asyncio.to_thread(wait_until_ready, running)
            yield {"url": running.url, "metrics": f"http://127.0.0.1:{metrics_port}/metrics"}
        finally:
            stop_service(running)


async def test_a_spoofed_forwarded_for_gets_no_fresh_sign_in_budget(
    gateway: dict[str, str], gateway_database: str
) -> None:
    """From a loopback peer, as uvicorn's default proxy headers would have believed it."""
    async with httpx.AsyncClient(base_url=gateway["url"]) as client:
        answers = [
            await client.post(
                "/v1/auth/token",
                data={"grant_type": "password", "username": f"nobody.{n}", "password": "x"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            )
            for n in range(1, AUTH_LIMIT + 2)
        ]

    assert [a.status_code for a in answers] == [401] * AUTH_LIMIT + [429]
    assert answers[-1].json()["code"] == "rate_limited"
    # The sign-in lockout counted the peer too, not the address the header claimed.
    engine = create_async_engine(gateway_database)
    try:
        async with engine.connect() as connection:
            sources = (
                await connection.scalars(
                    select(SignInFailures.source).where(
                        SignInFailures.name_digest == lockout.name_digest("username", "nobody.1")
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    assert sorted(sources) == ["*", "127.0.0.1"]


async def test_answers_carry_no_server_header_and_one_date(gateway: dict[str, str]) -> None:
    async with httpx.AsyncClient(base_url=gateway["url"]) as client:
        own = await client.get("/livez")
        proxied = await client.get("/v1/echo/a")

    assert proxied.status_code == 200, proxied.text
    for answer in (own, proxied):
        assert "server" not in answer.headers
        assert len(answer.headers.get_list("date")) == 1
        assert answer.headers.get_list("x-content-type-options") == ["nosniff"]
        assert answer.headers["x-frame-options"] == "DENY"


async def test_personal_answers_are_not_stored(gateway: dict[str, str]) -> None:
    async with httpx.AsyncClient(base_url=gateway["url"]) as client:
        with_credentials = await client.get("/v1/echo/me", headers={"Authorization": "Bearer x"})
        without = await client.get("/v1/echo/news")

    assert with_credentials.headers["cache-control"] == "no-store"
    assert "cache-control" not in without.headers


async def test_the_docs_cannot_be_framed(gateway: dict[str, str]) -> None:
    async with httpx.AsyncClient(base_url=gateway["url"]) as client:
        docs = await client.get("/docs")

    assert docs.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]


async def test_metrics_are_served_on_the_internal_port_only(gateway: dict[str, str]) -> None:
    async with httpx.AsyncClient() as client:
        public = await client.get(f"{gateway['url']}/metrics")
        internal = await client.get(gateway["metrics"])

    assert public.status_code == 404
    assert public.headers["content-type"] == "application/problem+json"
    assert internal.status_code == 200
    assert "kota_http_requests_total" in internal.text
    assert "server" not in internal.headers


def test_the_image_starts_uvicorn_as_the_dev_tools_do() -> None:
    """The container's CMD passes every option `kota_dev.processes` passes."""
    dockerfile = Path(__file__).resolve().parents[3] / "deploy" / "Dockerfile.service"
    (command,) = [line for line in dockerfile.read_text().splitlines() if line.startswith("CMD")]

    assert "--no-proxy-headers" in UVICORN_OPTIONS
    assert "--no-server-header" in UVICORN_OPTIONS
    for option in UVICORN_OPTIONS:
        assert option in command
