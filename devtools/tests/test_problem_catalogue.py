"""The problem codes the gateway's pages describe are every code the suite can answer with."""

import json

from kota_dev.problem_catalogue import CATALOGUE, problem_classes, render
from kota_shared.idempotency import IdempotencyKeyReused
from kota_shared.problems import NotFound


def test_the_committed_catalogue_is_current() -> None:
    assert CATALOGUE.read_text() == render(), (
        "a problem class was added or changed: run `uv run python -m kota_dev.problem_catalogue`"
    )


def test_the_scan_finds_problems_wherever_they_are_defined() -> None:
    found = {cls.code: cls for cls in problem_classes()}

    assert found["not_found"] is NotFound  # the shared library's problems module
    assert found["idempotency_key_reused"] is IdempotencyKeyReused  # another shared module
    for code, module in [
        ("illegal_transition", "permits.problems"),
        ("fully_booked", "health.problems"),
        ("invalid_credentials", "kota_gateway.identity.accounts.problems"),
        ("rate_limited", "kota_gateway.edge.ratelimit.middleware"),
    ]:
        assert found[code].__module__ == module


def test_each_entry_has_both_languages_and_who_answers() -> None:
    entries = json.loads(CATALOGUE.read_text())
    codes = [entry["code"] for entry in entries]

    assert codes == sorted(set(codes))
    for entry in entries:
        assert entry["title_id"], entry["code"]
        assert entry["title_en"], entry["code"]
        assert 400 <= entry["status"] < 600
        assert entry["answered_by"]
    by_code = {entry["code"]: entry for entry in entries}
    assert by_code["not_found"]["answered_by"] == ["all"]
    assert by_code["fully_booked"]["answered_by"] == ["health"]
