"""What every test of a refusal checks first: the status, the media type and the code."""

from typing import Any

import httpx


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The RFC 9457 document ``response`` carries, once it is the ``code`` problem at
    ``status`` with a type naming the code and a title to read; returned for more checks."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    assert problem["type"] == f"/problems/{code}"
    assert problem["title"]
    return problem
