"""Strict bodies: content type enforced, size and depth bounded, malformed input a 422."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, TypeAdapter

from kota_shared.bodies import (
    BodyFormat,
    UnreadableBody,
    body_openapi,
    format_of,
    parse_form,
    parse_json,
    read_body,
)
from kota_shared.problems import UnsupportedMediaType, install_problem_handlers


class Grant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grant_type: str
    scope: list[Any] | str | None = None


_GRANT = TypeAdapter(Grant)


@pytest.fixture
async def client() -> Any:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/either", openapi_extra=body_openapi(Grant, formats=list(BodyFormat)))
    async def either(request: Request) -> dict[str, str]:
        grant = await read_body(request, _GRANT, formats=list(BodyFormat), max_bytes=2_000_000)
        return {"grant_type": grant.grant_type}

    @app.post("/json")
    async def json_only(request: Request) -> dict[str, str]:
        grant = await read_body(request, _GRANT, max_bytes=1000)
        return {"grant_type": grant.grant_type}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize("depth", [33, 150, 199, 200, 201, 1000, 100_000])
def test_json_deeper_than_the_bound_is_refused_whatever_the_depth(depth: int) -> None:
    with pytest.raises(UnreadableBody) as refused:
        parse_json(nested(depth), max_depth=32)

    assert refused.value.kind == "body_too_deep"


def test_json_within_the_bound_is_read() -> None:
    assert isinstance(parse_json(nested(32), max_depth=32), list)
    value = parse_json(b'{"a": [[{"b": 1}]], "c": "[[[[[[[["}', max_depth=4)
    assert value == {"a": [[{"b": 1}]], "c": "[[[[[[[["}  # brackets in strings are no depth


@given(st.integers(min_value=1, max_value=60))
def test_the_depth_bound_is_exact(depth: int) -> None:
    document = b'{"x": ' * (depth - 1) + b"[]" + b"}" * (depth - 1)
    if depth <= 32:
        assert parse_json(document, max_depth=32) is not None
    else:
        with pytest.raises(UnreadableBody):
            parse_json(document, max_depth=32)


@pytest.mark.parametrize(
    "raw",
    [b'{"a": NaN}', b'{"a": Infinity}', b"\xff\xfe", b'{"a": 1', b"", b'{"a": "\\ud800"}'],
)
def test_malformed_or_non_standard_json_is_unreadable(raw: bytes) -> None:
    with pytest.raises(UnreadableBody) as refused:
        parse_json(raw)

    assert refused.value.kind == "body_invalid"


def test_forms_are_strict() -> None:
    assert parse_form(b"a=1&b=%C3%A9&c=") == {"a": "1", "b": "é", "c": ""}
    with pytest.raises(UnreadableBody, match="more than 3 fields"):
        parse_form(b"a=1&b=2&c=3&d=4", max_fields=3)
    with pytest.raises(UnreadableBody) as repeated:
        parse_form(b"a=1&a=2")
    assert repeated.value.kind == "body_repeated_field"
    with pytest.raises(UnreadableBody):
        parse_form(b"a=%ff")  # not UTF-8


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", BodyFormat.JSON),
        ("Application/JSON; charset=utf-8", BodyFormat.JSON),
        ("application/merge-patch+json", BodyFormat.JSON),
        ("application/x-www-form-urlencoded", BodyFormat.FORM),
        ("application/x-www-form-urlencoded; charset=utf-8", BodyFormat.FORM),
    ],
)
def test_the_content_type_names_the_format(content_type: str, expected: BodyFormat) -> None:
    assert format_of(content_type, list(BodyFormat)) is expected


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "",
        "text/plain",
        "text/plain;charset=UTF-8",
        "multipart/form-data",
        "text/json",
        "application/jsonp",
        "application/json-seq",
    ],
)
def test_any_other_content_type_is_a_415(content_type: str | None) -> None:
    with pytest.raises(UnsupportedMediaType) as refused:
        format_of(content_type, list(BodyFormat))

    assert refused.value.extensions["accepted"] == [
        "application/json",
        "application/x-www-form-urlencoded",
    ]


def test_a_form_is_refused_where_only_json_is_read() -> None:
    with pytest.raises(UnsupportedMediaType):
        format_of("application/x-www-form-urlencoded", [BodyFormat.JSON])


async def test_over_http_each_refusal_is_a_problem(client: httpx.AsyncClient) -> None:
    as_json = await client.post("/either", json={"grant_type": "password"})
    as_form = await client.post("/either", data={"grant_type": "password"})
    as_text = await client.post(
        "/either", content=b'{"grant_type": "password"}', headers={"content-type": "text/plain"}
    )
    deep = await client.post(
        "/either", content=nested(1000), headers={"content-type": "application/json"}
    )
    too_large = await client.post("/json", json={"grant_type": "x" * 2000})

    assert (as_json.status_code, as_form.status_code) == (200, 200)
    assert as_text.status_code == 415
    assert as_text.headers["content-type"] == "application/problem+json"
    assert as_text.json()["code"] == "unsupported_media_type"
    assert deep.status_code == 422
    assert deep.json()["errors"] == [
        {
            "field": "body",
            "message": "JSON bersarang lebih dari 32 tingkat.",
            "type": "body_too_deep",
        }
    ]
    assert too_large.status_code == 413
    assert too_large.json()["code"] == "payload_too_large"


async def test_a_refusal_is_written_in_the_language_asked_for(client: httpx.AsyncClient) -> None:
    deep = nested(1000)
    json_type = {"content-type": "application/json"}

    english = await client.post(
        "/either", content=deep, headers={**json_type, "accept-language": "en"}
    )
    text = await client.post("/either", content=b"{}", headers={"content-type": "text/plain"})

    assert english.json()["errors"][0]["message"] == "The JSON is nested more than 32 levels deep."
    assert text.json()["detail"].startswith("Kirim isi permintaan sebagai application/json")


async def test_a_huge_unknown_field_name_gets_a_small_answer(client: httpx.AsyncClient) -> None:
    name = "n" * 1_000_000

    as_form = await client.post("/either", data={"grant_type": "password", name: "1"})
    as_json = await client.post("/either", json={"grant_type": "password", name: 1})

    for answer in (as_form, as_json):
        assert answer.status_code == 422
        assert len(answer.content) < 2000
        (error,) = answer.json()["errors"]
        assert error["type"] == "extra_forbidden"
        assert len(error["field"]) == 200
        assert error["field"].startswith("body.nnnn")
        assert error["field"].endswith("\u2026")


def test_the_openapi_names_each_accepted_media_type() -> None:
    extra = body_openapi(Grant, formats=list(BodyFormat))

    assert set(extra["requestBody"]["content"]) == {
        "application/json",
        "application/x-www-form-urlencoded",
    }
