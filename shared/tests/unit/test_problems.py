"""problem+json rendering: every error a client can meet, in its language, never a stack trace."""

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from kota_shared.problems import Conflict, install_problem_handlers


class Body(BaseModel):
    amount_rupiah: int


@pytest.fixture
async def client():
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, int]:
        return {"amount_rupiah": body.amount_rupiah}

    @app.post("/conflict")
    async def conflict() -> None:
        raise Conflict("The application is already submitted.", current_state="submitted")

    @app.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(status_code=418)

    @app.get("/bug")
    async def bug() -> None:
        raise RuntimeError("secret internal detail")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_a_domain_problem_keeps_its_code_detail_and_extensions(client) -> None:
    response = await client.post("/conflict")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://docs.kota.live/problems/conflict",
        "title": "This conflicts with the current state of the record.",
        "status": 409,
        "code": "conflict",
        "instance": "/conflict",
        "detail": "The application is already submitted.",
        "current_state": "submitted",
    }


async def test_validation_errors_name_each_field(client) -> None:
    response = await client.post("/things", json={"amount_rupiah": "a lot"})

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert [e["field"] for e in problem["errors"]] == ["body.amount_rupiah"]


async def test_titles_follow_accept_language(client) -> None:
    english = await client.post("/things", json={})
    indonesian = await client.post("/things", json={}, headers={"Accept-Language": "id"})

    assert english.json()["title"] == "Some of the information you sent is not valid."
    assert indonesian.json()["title"] == "Sebagian data yang Anda kirim tidak valid."


async def test_other_http_errors_become_problems(client) -> None:
    response = await client.get("/teapot")

    assert response.status_code == 418
    assert response.json()["code"] == "i_m_a_teapot"


async def test_a_bug_is_a_500_problem_without_internals(client) -> None:
    response = await client.get("/bug")

    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "secret" not in response.text


async def test_unknown_routes_and_methods(client) -> None:
    missing = await client.get("/nowhere")
    wrong_method = await client.delete("/things")

    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")
