"""Security headers on every answer: nosniff, no framing, no caching of personal answers."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse

from kota_shared.app import ServiceDefinition, create_service_app
from kota_shared.security_headers import SecurityHeadersMiddleware
from kota_shared.settings import ServiceSettings


@pytest.fixture
async def client() -> Any:
    app = FastAPI()
    app.add_middleware(SecurityHeadersMiddleware)

    @app.get("/plain")
    async def plain() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/cached")
    async def cached() -> JSONResponse:
        return JSONResponse({}, headers={"Cache-Control": "public, max-age=300"})

    @app.get("/page")
    async def page() -> HTMLResponse:
        return HTMLResponse("<p>docs</p>", headers={"Content-Security-Policy": "script-src 'self'"})

    @app.get("/framed-on-purpose")
    async def framed() -> HTMLResponse:
        return HTMLResponse(
            "", headers={"Content-Security-Policy": "frame-ancestors https://city.example"}
        )

    @app.get("/sniffed")
    async def sniffed() -> JSONResponse:
        return JSONResponse({}, headers={"X-Content-Type-Options": "nosniff"})

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_every_answer_forbids_sniffing_and_framing(client: httpx.AsyncClient) -> None:
    for path in ("/plain", "/missing"):
        answer = await client.get(path)
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["content-security-policy"] == "frame-ancestors 'none'"


async def test_a_policy_of_its_own_gets_frame_ancestors_added(client: httpx.AsyncClient) -> None:
    page = await client.get("/page")
    chosen = await client.get("/framed-on-purpose")

    assert page.headers["content-security-policy"] == "script-src 'self'; frame-ancestors 'none'"
    assert chosen.headers["content-security-policy"] == "frame-ancestors https://city.example"


async def test_answers_to_credentials_are_not_stored(client: httpx.AsyncClient) -> None:
    anonymous = await client.get("/plain")
    signed_in = await client.get("/plain", headers={"Authorization": "Bearer x"})
    chosen = await client.get("/cached", headers={"Authorization": "Bearer x"})

    assert "cache-control" not in anonymous.headers
    assert signed_in.headers["cache-control"] == "no-store"
    assert chosen.headers["cache-control"] == "public, max-age=300"


async def test_nothing_is_sent_twice(client: httpx.AsyncClient) -> None:
    answer = await client.get("/sniffed", headers={"Authorization": "Bearer x"})

    for name in ("x-content-type-options", "x-frame-options", "cache-control"):
        assert len(answer.headers.get_list(name)) == 1


def test_every_service_app_installs_it() -> None:
    app = create_service_app(
        ServiceDefinition(
            settings=ServiceSettings(service_name="any", database_url="postgresql+asyncpg://x/y"),
            title="t",
            description="d",
            migrations="kota_shared:migrations",
            routers=[],
        )
    )

    assert app.user_middleware[0].cls is SecurityHeadersMiddleware  # outermost
