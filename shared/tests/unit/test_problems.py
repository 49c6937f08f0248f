"""problem+json rendering: every error a client can meet, in its language, never a stack trace."""

import logging
from typing import Annotated, Literal

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DBAPIError

from kota_shared.i18n import Catalogue, Matching
from kota_shared.problems import (
    MAX_FIELD_ERRORS,
    Conflict,
    ValidationFailed,
    install_problem_handlers,
)


class Body(BaseModel):
    amount_rupiah: int


_phrase = Catalogue("phrasebook")
"""The `phrasebook` fixture's catalogue, for a model declared here; read only in its tests."""


class NisnBody(BaseModel):
    nisn: Annotated[str, Matching(r"\d{10}", _phrase("{name} is not allowed.", name="NISN"))]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Literal["a", "b"] = "a"


class DriverError(Exception):
    """What asyncpg raises, as far as SQLAlchemy and `outages` look at it: a SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"the server said {sqlstate}")
        self.sqlstate = sqlstate


def database_error(sqlstate: str) -> DBAPIError:
    return DBAPIError("SELECT 1", None, DriverError(sqlstate))


@pytest.fixture
async def client(phrasebook: Catalogue):
    _ = phrasebook
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, int]:
        return {"amount_rupiah": body.amount_rupiah}

    @app.post("/nisn")
    async def nisn(body: NisnBody) -> dict[str, str]:
        return {"nisn": body.nisn}

    @app.post("/strict")
    async def strict(body: Strict) -> dict[str, str]:
        return {"code": body.code}

    @app.post("/own-errors")
    async def own_errors(body: dict[str, str]) -> None:
        raise ValidationFailed(
            _("{name} is not allowed.", name=body.get("detail", "")),
            errors=[
                {"field": name, "message": _("{name} is not allowed.", name=name)} for name in body
            ],
        )

    @app.post("/conflict")
    async def conflict() -> None:
        raise Conflict(_("The application is already submitted."), current_state="submitted")

    @app.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(status_code=418)

    @app.get("/bug")
    async def bug() -> None:
        raise RuntimeError("secret internal detail")

    @app.get("/sqlstate/{sqlstate}")
    async def failed_statement(sqlstate: str) -> None:
        raise database_error(sqlstate)

    @app.get("/refused")
    async def refused() -> None:
        raise ConnectionRefusedError(111, "Connect call failed")

    @app.get("/missing-file")
    async def missing_file() -> None:
        raise FileNotFoundError(2, "No such file or directory")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_a_domain_problem_keeps_its_code_detail_and_extensions(client) -> None:
    response = await client.post("/conflict")

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "/problems/conflict",
        "title": "Permintaan ini bertentangan dengan keadaan data saat ini.",
        "status": 409,
        "code": "conflict",
        "instance": "/conflict",
        "detail": "Permohonan sudah diajukan.",
        "current_state": "submitted",
    }


async def test_a_problem_speaks_english_to_who_prefers_it(client) -> None:
    response = await client.post("/conflict", headers={"Accept-Language": "en-GB,en;q=0.9"})

    assert response.headers["content-language"] == "en"
    assert response.json()["title"] == "This conflicts with the current state of the record."
    assert response.json()["detail"] == "The application is already submitted."


async def test_messages_inside_the_errors_a_service_builds_are_translated(client) -> None:
    response = await client.post("/own-errors", json={"pet": "cat"})

    assert response.headers["content-language"] == "id"
    assert response.json()["errors"] == [{"field": "pet", "message": "pet tidak diperbolehkan."}]


async def test_pydantic_messages_are_indonesian_by_default(client) -> None:
    missing = await client.post("/things", json={})
    unknown = await client.post("/strict", json={"code": "c"}, headers={"Accept-Language": "en"})

    assert missing.json()["errors"][0]["message"] == "Wajib diisi."
    assert unknown.json()["errors"][0]["message"] == "Input should be 'a' or 'b'"


async def test_validation_errors_name_each_field(client) -> None:
    response = await client.post("/things", json={"amount_rupiah": "a lot"})

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert [e["field"] for e in problem["errors"]] == ["body.amount_rupiah"]


async def test_a_body_that_is_not_utf8_is_a_422_like_any_malformed_body(client) -> None:
    """FastAPI answers such bytes with a bare 400; the contract says 422 on ``body``."""
    response = await client.post(
        "/things",
        content=b'{"amount_rupiah": "\xff"}',
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert problem["errors"] == [
        {
            "field": "body",
            "message": "Isi permintaan bukan JSON UTF-8 yang sah.",
            "type": "body_invalid",
        }
    ]


async def test_a_validator_message_is_in_the_callers_language(client) -> None:
    indonesian = await client.post("/nisn", json={"nisn": "123"})
    english = await client.post("/nisn", json={"nisn": "123"}, headers={"Accept-Language": "en"})

    assert indonesian.json()["errors"][0]["message"] == "NISN tidak diperbolehkan."
    assert english.json()["errors"][0]["message"] == "NISN is not allowed."


async def test_titles_follow_accept_language(client) -> None:
    english = await client.post("/things", json={}, headers={"Accept-Language": "en"})
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


async def test_contention_is_a_503_to_retry_at_once(client) -> None:
    response = await client.get("/sqlstate/40001", headers={"Accept-Language": "id"})

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    assert response.json()["code"] == "busy_try_again"
    assert response.json()["title"].startswith("Kami sedang memproses perubahan lain")


@pytest.mark.parametrize("path", ["/sqlstate/57P03", "/refused"], ids=["starting-up", "refused"])
async def test_a_database_outage_is_a_503_to_retry_in_a_few_seconds(client, path) -> None:
    response = await client.get(path)

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 1
    assert response.json()["code"] == "database_unavailable"
    assert response.json()["title"].startswith("Kami sedang tidak dapat mengakses data")


@pytest.mark.parametrize(
    "path", ["/bug", "/sqlstate/23505", "/missing-file"], ids=["bug", "unique", "local-file"]
)
async def test_an_error_that_is_no_outage_stays_a_500(client, path) -> None:
    response = await client.get(path)

    assert response.status_code == 500
    assert "retry-after" not in response.headers
    assert response.json()["code"] == "internal_error"


async def test_an_outage_is_logged_in_one_line_and_a_bug_with_its_traceback(client, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="kota_shared.problems"):
        await client.get("/refused")
        await client.get("/bug")

    outage, bug = [r for r in caplog.records if r.name == "kota_shared.problems"]
    assert (outage.levelname, outage.exc_info) == ("WARNING", None)
    assert "\n" not in outage.getMessage()
    assert bug.levelname == "ERROR"
    assert bug.exc_info is not None


async def test_field_errors_never_echo_unbounded_input(client) -> None:
    """A 1 MB field name, a 1 MB value quoted in a message: the answer stays small."""
    huge = "z" * 1_000_000

    unknown_name = await client.post("/strict", json={huge: 1})
    quoted_value = await client.post("/strict", json={"code": huge})

    for answer in (unknown_name, quoted_value):
        assert answer.status_code == 422
        assert len(answer.content) < 2000
    (name_error,) = unknown_name.json()["errors"]
    assert len(name_error["field"]) == 200
    assert name_error["field"].endswith("\u2026")


async def test_at_most_a_bounded_number_of_errors_is_listed(client) -> None:
    many = {f"field_{n}": n for n in range(1000)}

    answer = await client.post("/strict", json=many)

    assert answer.status_code == 422
    assert len(answer.json()["errors"]) == MAX_FIELD_ERRORS


async def test_errors_a_service_builds_itself_are_bounded_too(client) -> None:
    body = {"detail": "d" * 100_000, **{f"{n}{'x' * 10_000}": "" for n in range(100)}}

    answer = await client.post("/own-errors", json=body)

    assert answer.status_code == 422
    assert len(answer.content) < 60_000
    assert len(answer.json()["detail"]) == 1000
    assert len(answer.json()["errors"]) == MAX_FIELD_ERRORS
    assert all(len(e["message"]) <= 500 for e in answer.json()["errors"])
