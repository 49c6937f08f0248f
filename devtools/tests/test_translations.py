"""Bahasa Indonesia first: every message has its translation, every problem speaks both.

The catalogue check is what ``uv run kota messages --check`` reports: a message marked in
the code but missing from its package's catalogue, left untranslated or fuzzy, or a catalogue
entry the code no longer has. The walk renders every problem code the suite can answer
with, as a caller with no ``Accept-Language``, with ``id`` and with ``en`` would read it.
"""

import pytest
from fastapi import Request

from kota_dev import messages
from kota_dev.problem_catalogue import problem_classes
from kota_shared.problems import Problem, problem_response


@pytest.mark.parametrize("package", messages.packages())
def test_every_message_of_the_package_is_translated(package: str) -> None:
    found = [str(problem) for problem in messages.problems(package)]

    assert found == [], "run `uv run kota messages` and translate:\n" + "\n".join(found)


def _request(accept_language: str | None) -> Request:
    headers = [] if accept_language is None else [(b"accept-language", accept_language.encode())]
    return Request({"type": "http", "method": "GET", "path": "/x", "headers": headers})


def _title(problem: type[Problem], accept_language: str | None) -> tuple[str, str]:
    response = problem_response(
        _request(accept_language),
        status=problem.status,
        code=problem.code,
        title=problem.title,
    )
    body = response.body.decode()
    return response.headers["content-language"], body


@pytest.mark.parametrize("problem", problem_classes(), ids=lambda cls: cls.code)
def test_every_problem_code_is_indonesian_unless_english_is_asked_for(
    problem: type[Problem],
) -> None:
    indonesian = problem.title.catalogue.translate(problem.title.text, "id")

    assert indonesian != problem.title.text, f"{problem.code}: no Indonesian title"
    for header in (None, "id", "en;q=0.2, id"):
        language, body = _title(problem, header)
        assert (language, indonesian in body) == ("id", True), header
    language, body = _title(problem, "en")
    assert (language, problem.title.text in body) == ("en", True)
