"""Every answer says which language it is in and that it varies by ``Accept-Language``."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from kota_shared.i18n.headers import LanguageHeadersMiddleware


@pytest.fixture
async def client() -> Any:
    app = FastAPI()
    app.add_middleware(LanguageHeadersMiddleware)

    @app.get("/plain")
    async def plain() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/relayed")
    async def relayed() -> JSONResponse:
        """What the gateway relays: its service already said both."""
        return JSONResponse(
            {}, headers={"Content-Language": "en", "Vary": "Origin, accept-language"}
        )

    @app.get("/varies")
    async def varies() -> JSONResponse:
        return JSONResponse({}, headers={"Vary": "Origin"})

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_an_answer_names_its_language_indonesian_by_default(client) -> None:
    default = await client.get("/plain")
    english = await client.get("/plain", headers={"Accept-Language": "en-US"})

    assert default.headers["content-language"] == "id"
    assert english.headers["content-language"] == "en"
    assert default.headers["vary"] == "Accept-Language"


async def test_what_an_answer_already_says_is_kept_not_repeated(client) -> None:
    relayed = await client.get("/relayed", headers={"Accept-Language": "id"})
    varies = await client.get("/varies")

    assert relayed.headers.get_list("content-language") == ["en"]
    assert relayed.headers.get_list("vary") == ["Origin, accept-language"]
    assert varies.headers["vary"] == "Origin, Accept-Language"
