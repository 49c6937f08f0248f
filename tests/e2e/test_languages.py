"""Through the gateway, a citizen reads every answer in Bahasa Indonesia unless asking for
English, and each problem's ``type`` leads to a page that describes its code."""

import uuid

import httpx
import pytest
from e2e_suite import Suite

pytestmark = pytest.mark.e2e


def _unknown_application(
    gateway: httpx.Client, suite: Suite, language: str | None
) -> httpx.Response:
    headers = suite.headers("citizen-languages", roles=["citizen"])
    if language is not None:
        headers["Accept-Language"] = language
    return gateway.get(f"/v1/permits/applications/{uuid.uuid4()}", headers=headers)


def test_a_service_problem_is_indonesian_by_default_and_english_on_request(
    gateway: httpx.Client, suite: Suite
) -> None:
    default = _unknown_application(gateway, suite, None)
    english = _unknown_application(gateway, suite, "en-US,en;q=0.9,id;q=0.5")

    assert (default.status_code, english.status_code) == (404, 404)
    assert default.headers.get_list("content-language") == ["id"]
    assert english.headers.get_list("content-language") == ["en"]
    assert "accept-language" in default.headers["vary"].lower()
    assert default.json()["title"] == "Data yang Anda cari tidak ditemukan."
    assert english.json()["title"] == "We could not find what you asked for."
    assert default.json()["detail"] != english.json()["detail"]


def test_a_field_message_from_pydantic_is_indonesian(gateway: httpx.Client, suite: Suite) -> None:
    answer = gateway.post(
        "/v1/permits/applications",
        json={"district_code": "367105"},
        headers=suite.headers("citizen-languages", roles=["citizen"]),
    )

    assert answer.status_code == 422, answer.text
    messages = {error["field"]: error["message"] for error in answer.json()["errors"]}
    assert messages["body.permit_type"] == "Wajib diisi."


def test_a_problem_type_resolves_to_the_page_of_its_code(
    gateway: httpx.Client, suite: Suite
) -> None:
    problem = _unknown_application(gateway, suite, None).json()

    page = gateway.get(problem["type"])

    assert problem["type"] == "/problems/not_found"
    assert page.status_code == 200
    assert "not_found" in page.text
    assert "Data yang Anda cari tidak ditemukan." in page.text
