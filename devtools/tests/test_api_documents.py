"""Every service's OpenAPI document is valid and describes its errors as they are: problem+json
with the shared schemas, 401/403 where a token is needed, and operations named for people
(lowerCamelCase, unique across the whole suite, as the gateway merges them)."""

import functools
import importlib
import re
from typing import Any

import pytest
from openapi_spec_validator import validate

from kota_contracts.services import EVERY_SERVICE, ServiceDeclaration

PROBLEM_MEDIA_TYPE = "application/problem+json"
CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]+$")
REQUIRED_SETTINGS = {
    "permits": {"verification_secrets": ["a-test-only-secret"]},
    "payments": {"callback_secrets": ["whsec_dGVzdC1vbmx5LXNlY3JldA=="]},
}
"""What a service refuses to start without (no default for a secret)."""


@functools.cache
def document(name: str) -> dict[str, Any]:
    service = next(s for s in EVERY_SERVICE if s.name == name)
    config = importlib.import_module(f"{service.package}.config")
    settings_class = next(
        value
        for key, value in vars(config).items()
        if key.endswith("Settings") and getattr(value, "__module__", "") == config.__name__
    )
    settings = settings_class(**REQUIRED_SETTINGS.get(name, {}))
    app = importlib.import_module(f"{service.package}.main").create_app(settings)
    built: dict[str, Any] = app.openapi()
    return built


def operations(name: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document(name)["paths"].items()
        for method, operation in item.items()
        if method in {"get", "put", "post", "delete", "patch"}
    ]


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_the_document_is_valid_openapi(service: ServiceDeclaration) -> None:
    validate(document(service.name))


@pytest.mark.parametrize("service", EVERY_SERVICE, ids=lambda s: s.name)
def test_errors_are_documented_as_problems(service: ServiceDeclaration) -> None:
    schemas = document(service.name)["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert {"Problem", "ValidationProblem"} <= set(schemas)
    for method, path, operation in operations(service.name):
        answers = operation["responses"]
        for status, answer in answers.items():
            if status.startswith(("4", "5")):
                assert PROBLEM_MEDIA_TYPE in answer.get("content", {}), (method, path, status)
        if operation.get("security"):
            assert {"401", "403"} <= set(answers), (method, path)
        if "422" in answers:
            schema = answers["422"]["content"][PROBLEM_MEDIA_TYPE]["schema"]
            assert schema == {"$ref": "#/components/schemas/ValidationProblem"}


def test_operation_ids_read_as_names_and_are_unique_across_the_suite() -> None:
    seen: dict[str, str] = {}
    for service in EVERY_SERVICE:
        for method, path, operation in operations(service.name):
            operation_id = operation["operationId"]
            assert CAMEL_CASE.match(operation_id), (method, path, operation_id)
            where = f"{service.name} {method.upper()} {path}"
            assert operation_id not in seen, f"{operation_id}: {seen.get(operation_id)} and {where}"
            seen[operation_id] = where
